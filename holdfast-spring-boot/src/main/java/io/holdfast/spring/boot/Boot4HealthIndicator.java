package io.holdfast.spring.boot;

import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link HoldfastHealth} in Spring Boot 4.0's health API ({@code spring-boot-health}). */
record Boot4HealthIndicator(Supplier<HoldfastHealth> current) implements HealthIndicator {

  @Override
  public Health health() {
    HoldfastHealth health = current.get();
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
