package io.holdfast.spring.boot;

import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The config service as the application's health sees it. FRESH, STALE and INITIALIZING are UP: an
 * unreachable config service must never take an application that still serves its last verified
 * configuration out of a load balancer. EXPIRED reports the status the operator chose ({@code
 * holdfast.health.expired-status}, UP unless set).
 */
final class HoldfastHealthIndicator implements HealthIndicator {

  private final HoldfastConfig config;
  private final String expiredStatus;
  private final Clock clock;

  HoldfastHealthIndicator(HoldfastConfig config, String expiredStatus, Clock clock) {
    this.config = config;
    this.expiredStatus = expiredStatus;
    this.clock = clock;
  }

  @Override
  public Health health() {
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
    return Health.status(expired ? expiredStatus : "UP")
        .withDetail("namespaces", namespaces)
        .build();
  }
}
