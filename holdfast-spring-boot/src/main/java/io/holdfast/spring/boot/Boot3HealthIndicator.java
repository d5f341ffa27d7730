package io.holdfast.spring.boot;

import io.holdfast.client.HoldfastConfig;
import java.time.Clock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@link HoldfastHealth} in Spring Boot 3.5's health API ({@code spring-boot-actuator}). */
final class Boot3HealthIndicator implements HealthIndicator {

  private final HoldfastConfig config;
  private final String expiredStatus;
  private final Clock clock;

  Boot3HealthIndicator(HoldfastConfig config, String expiredStatus, Clock clock) {
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
