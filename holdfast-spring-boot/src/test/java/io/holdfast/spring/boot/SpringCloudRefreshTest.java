package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.client.HoldfastClient;
import io.holdfast.spring.boot.demo.DemoApplication;
import io.holdfast.spring.boot.demo.DemoApplication.CoreProperties;
import io.holdfast.spring.boot.demo.DemoApplication.Greeting;
import io.holdfast.spring.boot.demo.DemoApplication.Motd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

/**
 * With Spring Cloud Context: {@code @RefreshScope} beans follow a publish, and Spring Cloud's own
 * refresh ({@code /actuator/refresh}, Spring Cloud Bus) reloads config data on the one client.
 */
class SpringCloudRefreshTest {

  private static final String SYNC_THREAD = "holdfast-client-sync";

  @TempDir Path dir;

  private ConfigurableApplicationContext start(TwoReplicas replicas, String credential) {
    return StarterApp.start(
        DemoApplication.class,
        StarterApp.args(
            replicas.replicas(), replicas.trustedKey(), credential, dir.resolve("cache")));
  }

  private static void publishGreeting(TwoReplicas replicas, String greeting, int timeout) {
    replicas.publish(
        "core",
        "{\"greeting\":\""
            + greeting
            + "\",\"sessionTimeoutMinutes\":"
            + timeout
            + ",\"hosts\":[\"a.example\",\"b.example\"]}");
  }

  @Test
  void aRefreshScopeBean_seesAPublishWithoutARestart() {
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      try (ConfigurableApplicationContext app = start(replicas, credential)) {
        Motd motd = app.getBean(Motd.class);
        assertThat(motd.text()).isEqualTo("from holdfast");

        publishGreeting(replicas, "published later", 15);

        await().atMost(Duration.ofSeconds(10)).until(() -> motd.text().equals("published later"));
        // A plain singleton's @Value is read once: the refresh scope is what made the difference.
        assertThat(app.getBean(Greeting.class).text()).isEqualTo("from holdfast");
      }
    }
  }

  @Test
  void contextRefresherRefresh_reusesTheOneClient_andThePropertySourcesStayLive() {
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      try (ConfigurableApplicationContext app = start(replicas, credential)) {
        HoldfastClient client = app.getBean(HoldfastClient.class);
        assertThat(syncThreads()).isEqualTo(1);
        // First listed, first in precedence.
        assertThat(holdfastSources(app)).containsExactly("holdfast:core", "holdfast:features");

        app.getBean(ContextRefresher.class).refresh();

        assertThat(app.getBean(HoldfastClient.class)).isSameAs(client);
        assertThat(syncThreads()).as("alive threads named " + SYNC_THREAD).isEqualTo(1);
        assertThat(holdfastSources(app)).containsExactly("holdfast:core", "holdfast:features");
        assertThat(app.getEnvironment().getProperty("core.greeting")).isEqualTo("from holdfast");

        publishGreeting(replicas, "after the refresh", 40);

        CoreProperties core = app.getBean(CoreProperties.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> core.getSessionTimeoutMinutes() == 40);
        assertThat(app.getEnvironment().getProperty("core.greeting"))
            .isEqualTo("after the refresh");
        assertThat(app.getBean(Motd.class).text()).isEqualTo("after the refresh");
        assertThat(holdfastSources(app)).containsExactly("holdfast:core", "holdfast:features");
        assertThat(syncThreads()).isEqualTo(1);
      }
    }
  }

  private static long syncThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(SYNC_THREAD) && t.isAlive())
        .count();
  }

  private static List<String> holdfastSources(ConfigurableApplicationContext app) {
    return StreamSupport.stream(app.getEnvironment().getPropertySources().spliterator(), false)
        .map(PropertySource::getName)
        .filter(name -> name.contains("holdfast:"))
        .toList();
  }
}
