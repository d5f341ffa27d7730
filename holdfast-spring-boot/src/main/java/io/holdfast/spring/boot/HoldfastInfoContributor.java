package io.holdfast.spring.boot;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** {@code /actuator/info}: which revision (and ETag) of each namespace the application runs on. */
final class HoldfastInfoContributor implements InfoContributor {

  private final HoldfastConfig config;

  HoldfastInfoContributor(HoldfastConfig config) {
    this.config = config;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> namespaces = new LinkedHashMap<>();
    for (String namespace : config.statuses().keySet()) {
      ConfigSnapshot snapshot = config.snapshot(namespace);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("revision", snapshot.revision());
      details.put("etag", snapshot.etag());
      details.put("status", snapshot.status().name());
      namespaces.put(namespace, details);
    }
    builder.withDetail("holdfast", Map.of("namespaces", namespaces));
  }
}
