package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.spring.boot.demo.DemoApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where two namespaces name the same property ({@code key-prefix=none}), the one listed first in
 * {@code holdfast.namespaces} wins, whichever order the namespaces were published in.
 */
class NamespacePrecedenceTest {

  @TempDir Path dir;

  @Test
  void theNamespaceListedFirst_wins() {
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      replicas.publish("features", "{\"darkMode\":true,\"greeting\":\"from features\"}");
      String[] coreFirst =
          StarterApp.args(
              replicas.replicas(),
              replicas.trustedKey(),
              credential,
              dir.resolve("cache"),
              "--holdfast.key-prefix=none");
      try (ConfigurableApplicationContext app =
          StarterApp.start(DemoApplication.class, coreFirst)) {
        assertThat(app.getEnvironment().getProperty("greeting")).isEqualTo("from holdfast");
        assertThat(app.getEnvironment().getProperty("darkMode")).isEqualTo("true");
      }
      String[] featuresFirst = StarterApp.with(coreFirst, "holdfast.namespaces", "features,core");
      try (ConfigurableApplicationContext app =
          StarterApp.start(DemoApplication.class, featuresFirst)) {
        assertThat(app.getEnvironment().getProperty("greeting")).isEqualTo("from features");
      }
    }
  }
}
