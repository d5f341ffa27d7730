package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IDEs complete {@code holdfast.*} from the metadata file: it names every setting the starter
 * reads.
 */
class ConfigurationMetadataTest {

  @Test
  void metadata_namesEverySetting() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    metadata.path("properties").forEach(p -> names.add(p.path("name").asText()));
    assertThat(names)
        .contains(
            "holdfast.replicas",
            "holdfast.instance-id",
            "holdfast.credential",
            "holdfast.trusted-keys",
            "holdfast.trusted-root",
            "holdfast.namespaces",
            "holdfast.cache-directory",
            "holdfast.grace",
            "holdfast.stale-after",
            "holdfast.startup-timeout",
            "holdfast.when-unavailable",
            "holdfast.key-prefix",
            "holdfast.poll-interval",
            "holdfast.request-timeout",
            "holdfast.watch-timeout",
            "holdfast.heartbeat-interval",
            "holdfast.validators",
            "holdfast.health.expired-status");
  }
}
