package io.holdfast.it.springconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.it.ReplicaPair;
import io.holdfast.testkit.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unmodified Spring Cloud Config client application ({@code holdfast-spring-cloud-config-app}:
 * Spring Boot 3.5.7, Spring Cloud 2025.0.0, {@code spring-cloud-starter-config} and nothing of
 * Holdfast's) started in a JVM of its own against two real replicas, configured only through the
 * settings docs/spring-cloud-config.md gives. Each case checks the exact values the application
 * read, as its environment, {@code @ConfigurationProperties} and {@code @Value} have them.
 */
class UnmodifiedConfigClientTest {

  private static final String INSTANCE = "acme-prod";
  private static final String CORE =
      "{\"core\":{\"greeting\":\"Hello from Holdfast\",\"sessionTimeoutMinutes\":30}}";
  private static final String FEATURES =
      "{\"features\":{\"search\":true,\"beta\":[\"eu\",\"us\"]}}";
  private static final String PRINT =
      "--print=core.greeting,core.sessionTimeoutMinutes,features.search,features.beta[1],"
          + "config.client.version";

  @TempDir Path dir;

  private ReplicaPair replicas;
  private String token;
  private long core;
  private long features;

  @BeforeEach
  void start() {
    replicas = ReplicaPair.start(dir.resolve("data"));
    replicas.createNamespace("core");
    replicas.createNamespace("features");
    token = replicas.createInstance(INSTANCE, "live");
    core = replicas.publish("core", "default", CORE);
    features = replicas.publish("features", "default", FEATURES);
  }

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void httpBasicWithTheInstanceIdAndToken_loadsThePublishedValues() throws Exception {
    ConfigClientApp.Run run =
        app(
            "basic",
            "--spring.config.import=configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
            "--spring.cloud.config.username=" + INSTANCE,
            "--spring.cloud.config.password=" + token,
            "--spring.cloud.config.fail-fast=true");

    assertLoaded(run);
    assertThat(run.sources())
        .as("one property source per namespace, in name order, above the app's own")
        .containsSubsequence(
            "configserver:holdfast:" + INSTANCE + "/core@" + core,
            "configserver:holdfast:" + INSTANCE + "/features@" + features,
            "Config resource 'class path resource [application.properties]' via location"
                + " 'optional:classpath:/'");
  }

  @Test
  void aBearerHeader_loadsThePublishedValuesToo() throws Exception {
    ConfigClientApp.Run run =
        app(
            "bearer",
            "--spring.config.import=configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
            "--spring.cloud.config.headers.Authorization=Bearer " + token,
            "--spring.cloud.config.fail-fast=true");

    assertLoaded(run);
  }

  @Test
  void withTheFirstOfTwoReplicasDown_theClientsOwnFailoverLoadsFromTheSecond() throws Exception {
    awaitServedBy(replicas.serverB().port(), "core@" + core);
    replicas.proxyA().fault(Fault.refuseConnections());

    ConfigClientApp.Run run =
        app(
            "failover",
            "--spring.config.import=configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri() + "," + replicas.proxyB().uri(),
            "--spring.cloud.config.username=" + INSTANCE,
            "--spring.cloud.config.password=" + token,
            "--spring.cloud.config.fail-fast=true");

    assertLoaded(run);
    // Spring Boot may import a config server location more than once in one start.
    assertThat(replicas.proxyB().requests("/application/default"))
        .as("requests that reached replica B")
        .isPositive();
    assertThat(replicas.proxyA().requests()).as("requests that reached replica A").isZero();
  }

  @Test
  void aWrongTokenWithFailFast_failsTheStartAsSpringReportsIt() throws Exception {
    ConfigClientApp.Run run =
        app(
            "wrong-token-fail-fast",
            "--spring.config.import=configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
            "--spring.cloud.config.username=" + INSTANCE,
            "--spring.cloud.config.password=" + wrongToken(),
            "--spring.cloud.config.fail-fast=true");

    assertThat(run.exitCode()).as("exit status; the app said:\n%s", run.text()).isNotZero();
    assertThat(run.text())
        .contains("Could not locate PropertySource and the fail fast property is set, failing")
        .contains("401");
    assertThat(run.output()).noneMatch(l -> l.startsWith("VALUE ") || l.startsWith("BOUND "));
  }

  @Test
  void aWrongTokenWithoutFailFast_startsWithoutTheRemoteValues() throws Exception {
    ConfigClientApp.Run run =
        app(
            "wrong-token",
            "--spring.config.import=optional:configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
            "--spring.cloud.config.username=" + INSTANCE,
            "--spring.cloud.config.password=" + wrongToken());

    assertThat(run.exitCode()).as("exit status; the app said:\n%s", run.text()).isZero();
    assertThat(run.value("core.greeting")).isEmpty();
    assertThat(run.value("config.client.version")).isEmpty();
    assertThat(run.line("BOUND "))
        .isEqualTo("BOUND core.greeting=null core.sessionTimeoutMinutes=null");
    assertThat(run.text()).contains("Could not locate PropertySource").contains("401 Unauthorized");
    assertThat(replicas.proxyA().requests("/application/default"))
        .as("the app did ask")
        .isPositive();
  }

  @Test
  void aPublish_isReadOnTheNextStart() throws Exception {
    String[] settings = {
      "--spring.config.import=configserver:",
      "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
      "--spring.cloud.config.username=" + INSTANCE,
      "--spring.cloud.config.password=" + token,
      "--spring.cloud.config.fail-fast=true"
    };
    ConfigClientApp.Run before = app("before-publish", settings);
    assertLoaded(before);

    long next =
        replicas.publish(
            "core",
            "default",
            "{\"core\":{\"greeting\":\"Hello again\",\"sessionTimeoutMinutes\":45}}");
    ConfigClientApp.Run after = app("after-publish", settings);

    assertThat(after.exitCode()).as("exit status; the app said:\n%s", after.text()).isZero();
    assertThat(next).isGreaterThan(core);
    assertThat(after.value("config.client.version"))
        .hasValueSatisfying(
            v ->
                assertThat(v)
                    .matches("core@" + next + ",features@" + features + ",subscriptions@\\d+"));
    assertThat(after.value("core.greeting")).contains("Hello again");
    assertThat(after.value("core.sessionTimeoutMinutes")).contains("45");
    assertThat(after.line("BOUND "))
        .isEqualTo("BOUND core.greeting=Hello again core.sessionTimeoutMinutes=45");
  }

  @Test
  void theApplicationName_selectsNamespacesAndTheFirstWins() throws Exception {
    long featuresNow =
        replicas.publish(
            "features", "default", "{\"core\":{\"greeting\":\"Hello from features\"}}");
    ConfigClientApp.Run run =
        app(
            "application-name",
            "--spring.application.name=features,core",
            "--spring.config.import=configserver:",
            "--spring.cloud.config.uri=" + replicas.proxyA().uri(),
            "--spring.cloud.config.username=" + INSTANCE,
            "--spring.cloud.config.password=" + token,
            "--spring.cloud.config.fail-fast=true");

    assertThat(run.exitCode()).as("exit status; the app said:\n%s", run.text()).isZero();
    assertThat(run.value("core.greeting")).contains("Hello from features");
    assertThat(run.value("core.sessionTimeoutMinutes")).contains("30");
    assertThat(run.value("config.client.version"))
        .contains("features@" + featuresNow + ",core@" + core);
  }

  /** The values published in {@link #start}, as every way of reading them in the app sees them. */
  private void assertLoaded(ConfigClientApp.Run run) {
    assertThat(run.exitCode()).as("exit status; the app said:\n%s", run.text()).isZero();
    assertThat(run.value("core.greeting")).contains("Hello from Holdfast");
    assertThat(run.value("core.sessionTimeoutMinutes")).contains("30");
    assertThat(run.value("features.search")).contains("true");
    assertThat(run.value("features.beta[1]")).contains("us");
    assertThat(run.value("config.client.version"))
        .hasValueSatisfying(
            v ->
                assertThat(v)
                    .matches("core@" + core + ",features@" + features + ",subscriptions@\\d+"));
    assertThat(run.line("BOUND "))
        .isEqualTo("BOUND core.greeting=Hello from Holdfast core.sessionTimeoutMinutes=30");
    assertThat(run.line("INJECTED ")).isEqualTo("INJECTED core.greeting=Hello from Holdfast");
  }

  private ConfigClientApp.Run app(String name, String... settings) throws Exception {
    List<String> args = new ArrayList<>(List.of(settings));
    args.add(PRINT);
    return ConfigClientApp.run(dir.resolve(name + ".log"), args.toArray(String[]::new));
  }

  /** A token of the right shape that no instance has. */
  private String wrongToken() {
    return token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
  }

  /** Waits until replica {@code port} serves this revision (it refreshes every 50 ms). */
  private void awaitServedBy(int port, String version) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/core/default"))
              .header("Authorization", "Bearer " + token)
              .build();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains(version);
              });
    }
  }
}
