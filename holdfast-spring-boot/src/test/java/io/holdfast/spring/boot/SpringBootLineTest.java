package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/**
 * These tests run twice, in holdfast-spring-boot on Spring Boot 3.5 and in holdfast-spring-boot4-it
 * on 4.0. Each module's build names the version it means to test; a classpath that slipped to the
 * other line would otherwise pass unnoticed.
 */
class SpringBootLineTest {

  @Test
  void theTestsRunOnTheSpringBootTheirModuleNames() {
    String expected = System.getProperty("holdfast.expected-spring-boot");
    assertThat(expected)
        .as("holdfast.expected-spring-boot, set by the module's surefire")
        .isNotNull();
    assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
  }
}
