package io.holdfast.springcloudconfigapp;

import java.util.Arrays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * An ordinary Spring Boot application that takes its configuration from a Spring Cloud Config
 * server through {@code spring-cloud-starter-config}, exactly as documented by Spring: the server,
 * the credentials and the import all come from its command line and {@code application.properties}.
 * It knows nothing of Holdfast.
 *
 * <p>It starts, prints what it was configured with, and exits 0: {@code VALUE key=value} (or {@code
 * ABSENT key}) for every key of {@code --print=key,...} as the environment has it, {@code BOUND}
 * with the {@code core.*} settings as {@link CoreSettings} bound them, {@code INJECTED} with {@code
 * core.greeting} as {@code @Value} injected it, and {@code SOURCE name} for each property source in
 * precedence order. A failed start (such as {@code fail-fast} with a refused credential) ends the
 * JVM with Spring Boot's own failure report and a non-zero status.
 */
@SpringBootApplication
@EnableConfigurationProperties(CoreSettings.class)
public class ConfigClientApplication {

  private final String injectedGreeting;

  public ConfigClientApplication(@Value("${core.greeting:#{null}}") String injectedGreeting) {
    this.injectedGreeting = injectedGreeting;
  }

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(ConfigClientApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    try (ConfigurableApplicationContext context = application.run(args)) {
      report(context);
    }
  }

  private static void report(ConfigurableApplicationContext context) {
    ConfigurableEnvironment environment = context.getEnvironment();
    String keys = environment.getProperty("print", "");
    Arrays.stream(keys.split(","))
        .map(String::strip)
        .filter(key -> !key.isEmpty())
        .forEach(
            key -> {
              String value = environment.getProperty(key);
              System.out.println(value == null ? "ABSENT " + key : "VALUE " + key + "=" + value);
            });
    CoreSettings core = context.getBean(CoreSettings.class);
    System.out.println(
        "BOUND core.greeting="
            + core.greeting()
            + " core.sessionTimeoutMinutes="
            + core.sessionTimeoutMinutes());
    System.out.println(
        "INJECTED core.greeting="
            + context.getBean(ConfigClientApplication.class).injectedGreeting);
    for (PropertySource<?> source : environment.getPropertySources()) {
      System.out.println("SOURCE " + source.getName());
    }
    System.out.flush();
  }
}
