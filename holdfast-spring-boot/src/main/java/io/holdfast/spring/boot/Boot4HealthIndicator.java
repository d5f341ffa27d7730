package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastConfig;
import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link HoldfastHealth} in Spring Boot 4.0's health API ({@code spring-boot-health}). */
final class Boot4HealthIndicator implements HealthIndicator {

  private final HoldfastConfig config;
  private final String expiredStatus;
  private final Clock clock;

  Boot4HealthIndicator(HoldfastConfig config, String expiredStatus, Clock clock) {
    this.config = config;
    this.expiredStatus = expiredStatus;
    this.clock = clock;
  }

  @Override
  public Health health() {
    HoldfastHealth health = HoldfastHealth.of(config, expiredStatus, clock);
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
