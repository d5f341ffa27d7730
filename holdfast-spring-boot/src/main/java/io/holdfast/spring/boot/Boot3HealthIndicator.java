package io.holdfast.spring.boot;

import java.util.function.Supplier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@link HoldfastHealth} in Spring Boot 3.5's health API ({@code spring-boot-actuator}). */
record Boot3HealthIndicator(Supplier<HoldfastHealth> current) implements HealthIndicator {

  @Override
  public Health health() {
    HoldfastHealth health = current.get();
    return Health.status(health.status()).withDetails(health.details()).build();
  }
}
