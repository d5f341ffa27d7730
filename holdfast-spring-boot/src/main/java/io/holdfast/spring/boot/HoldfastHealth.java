package io.holdfast.spring.boot;

import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The config service as the application's health sees it. FRESH, STALE and INITIALIZING are UP: an
 * unreachable config service must never take an application that still serves its last verified
 * configuration out of a load balancer. EXPIRED reports the status the operator chose ({@code
 * holdfast.health.expired-status}, UP unless set).
 *
 * <p>Spring Boot 3.5 and 4.0 name their health types differently ({@link Boot3HealthIndicator},
 * {@link Boot4HealthIndicator}); both report what this computes.
 *
 * @param status the health status code
 * @param details per namespace: status, since, age, reason and grace remaining
 */
record HoldfastHealth(String status, Map<String, Object> details) {

  static HoldfastHealth of(HoldfastConfig config, String expiredStatus, Clock clock) {
    boolean expired = false;
    Map<String, Object> namespaces = new LinkedHashMap<>();
    for (Map.Entry<String, Freshness> entry : config.statuses().entrySet()) {
      Freshness freshness = entry.getValue();
      expired |= freshness.status() == Status.EXPIRED;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("status", freshness.status().name());
      details.put("since", freshness.since().toString());
      if (freshness.lastVerifiedAt() != null) {
        details.put(
            "age", Duration.between(freshness.lastVerifiedAt(), clock.instant()).toString());
      }
      details.put("reason", freshness.reason());
      details.put("graceRemaining", freshness.graceRemaining().toString());
      namespaces.put(entry.getKey(), details);
    }
    return new HoldfastHealth(expired ? expiredStatus : "UP", Map.of("namespaces", namespaces));
  }
}
