package io.holdfast.spring.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the starter's tests share to run an application on it: two replicas serving app-1 its {@code
 * core} and {@code features}, and the command line that imports them (fast polls, short timeouts, a
 * web server on a free loopback port so that Actuator is read over HTTP).
 */
final class StarterApp {

  static final String INSTANCE = "app-1";

  /**
   * Spring Boot's DataSource auto-configuration, as Boot 3.5 and 4.0 name it. holdfast-server (the
   * replicas) brings HikariCP onto the test class path, with which Boot would insist on a database
   * URL; the applications here have no database unless a test gives them one. An exclusion naming a
   * class that is absent is ignored, so both names are given on either line.
   */
  static final String DATA_SOURCE_AUTO_CONFIGURATION =
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
          + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

  private StarterApp() {}

  /**
   * Serves app-1 {@code core} and {@code features} from {@code replicas}; returns its credential.
   */
  static String serve(TwoReplicas replicas) {
    replicas.createNamespace("core");
    replicas.createNamespace("features");
    String credential = replicas.createInstance(INSTANCE);
    replicas.publish(
        "core",
        "{\"greeting\":\"from holdfast\",\"sessionTimeoutMinutes\":15,"
            + "\"hosts\":[\"a.example\",\"b.example\"]}");
    replicas.publish("features", "{\"darkMode\":true}");
    return credential;
  }

  /** The command line importing {@code holdfast:} as app-1, then {@code more}. */
  static String[] args(String replicas, String key, String credential, Path cache, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.main.banner-mode=off",
                "--spring.config.import=holdfast:",
                "--holdfast.replicas=" + replicas,
                "--holdfast.instance-id=" + INSTANCE,
                "--holdfast.credential=" + credential,
                "--holdfast.trusted-keys=" + key,
                "--holdfast.namespaces=core,features",
                "--holdfast.cache-directory=" + cache,
                "--holdfast.startup-timeout=2s",
                "--holdfast.request-timeout=1s",
                "--holdfast.watch-timeout=1s",
                "--holdfast.poll-interval=100ms",
                "--holdfast.heartbeat-interval=0s",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=health,info",
                "--management.endpoint.health.show-details=always",
                "--spring.autoconfigure.exclude=" + DATA_SOURCE_AUTO_CONFIGURATION));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** {@code args} with {@code name} (a {@code --name=value} argument) set to {@code value}. */
  static String[] with(String[] args, String name, String value) {
    List<String> changed = new ArrayList<>();
    boolean found = false;
    for (String arg : args) {
      if (arg.startsWith("--" + name + "=")) {
        changed.add("--" + name + "=" + value);
        found = true;
      } else {
        changed.add(arg);
      }
    }
    if (!found) {
      changed.add("--" + name + "=" + value);
    }
    return changed.toArray(String[]::new);
  }

  /** Runs {@code application} as a servlet application. */
  static ConfigurableApplicationContext start(Class<?> application, String... args) {
    return new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET).run(args);
  }
}
