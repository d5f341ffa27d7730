package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica says which release and schema it runs (issue 23), in {@code /health/ready} on both
 * ports and in {@code /metrics}, so that a rolling upgrade shows which replicas run which.
 */
class ReplicaVersionReportTest {

  @Test
  void readinessAndMetrics_nameTheBuildsReleaseAndTheSchema(@TempDir Path dir) throws IOException {
    String release = projectVersion();
    int schema = highestMigration();
    try (ServerFixture server = ServerFixture.start(dir)) {
      for (JsonNode ready :
          new JsonNode[] {
            json(server.get("/health/ready", null)), json(server.getManagement("/health/ready"))
          }) {
        JsonNode version = ready.get("version");
        assertThat(version.get("holdfast").asText()).isEqualTo(release);
        assertThat(version.get("schema").asInt()).isEqualTo(schema);
        assertThat(version.get("storeSchema").asInt()).isEqualTo(schema);
      }
      assertThat(server.server().version().release()).isEqualTo(release);
      assertThat(server.scrapeMetrics())
          .containsPattern(
              "holdfast_replica_info\\{[^}]*schema=\""
                  + schema
                  + "\"[^}]*store_schema=\""
                  + schema
                  + "\"[^}]*version=\""
                  + Pattern.quote(release)
                  + "\"[^}]*} 1(\\.0)?\n");
    }
  }

  /** The version the module's pom inherits: what the build must have written. */
  private static String projectVersion() throws IOException {
    Matcher parent =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(parent.find()).isTrue();
    return parent.group(1);
  }

  private static int highestMigration() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration/sqlite"))) {
      return files
          .map(f -> f.getFileName().toString())
          .mapToInt(f -> Integer.parseInt(f.substring(1, f.indexOf("__"))))
          .max()
          .orElseThrow();
    }
  }
}
