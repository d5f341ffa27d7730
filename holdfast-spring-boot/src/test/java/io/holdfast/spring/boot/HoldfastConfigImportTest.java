package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.spring.boot.demo.DemoApplication;
import io.holdfast.spring.boot.demo.DemoApplication.CoreProperties;
import io.holdfast.spring.boot.demo.DemoApplication.Greeting;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot application importing {@code holdfast:} from two real replicas: values through
 * {@code @Value} and {@code @ConfigurationProperties}, a publish seen without a restart, start-up
 * on the disk cache with every replica down, and the policy with neither replicas nor cache. They
 * run on Spring Boot 3.5 here and on 4.0 in holdfast-spring-boot4-it.
 */
class HoldfastConfigImportTest {

  @TempDir Path dir;
  private Path store;
  private Path cache;

  @BeforeEach
  void paths() {
    store = dir.resolve("store");
    cache = dir.resolve("cache");
  }

  private static ConfigurableApplicationContext start(String... args) {
    return StarterApp.start(DemoApplication.class, args);
  }

  private String[] args(String replicas, String key, String credential, String... more) {
    return StarterApp.args(replicas, key, credential, cache, more);
  }

  private static String serve(TwoReplicas replicas) {
    return StarterApp.serve(replicas);
  }

  private static String randomKey() throws GeneralSecurityException {
    return VerificationKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic())
        .toBase64();
  }

  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void readsValuesThroughValueAndConfigurationProperties_andTheClientIsABean() {
    try (TwoReplicas replicas = new TwoReplicas(store)) {
      String credential = serve(replicas);
      HoldfastClient client;
      try (ConfigurableApplicationContext app =
          start(args(replicas.replicas(), replicas.trustedKey(), credential))) {
        assertThat(app.getBean(Greeting.class)).isEqualTo(new Greeting("from holdfast", 15));
        CoreProperties core = app.getBean(CoreProperties.class);
        assertThat(core.getSessionTimeoutMinutes()).isEqualTo(15);
        assertThat(core.getHosts()).containsExactly("a.example", "b.example");
        assertThat(app.getEnvironment().getProperty("features.darkMode", Boolean.class)).isTrue();
        assertThat(app.getEnvironment().getProperty("core.hosts[1]")).isEqualTo("b.example");

        client = app.getBean(HoldfastClient.class);
        assertThat(client.status("core").status()).isEqualTo(Status.FRESH);

        Map<String, Object> health = Actuator.health(app);
        assertThat(health).containsEntry("status", "UP");
        assertThat(Actuator.namespace(health, "core"))
            .containsEntry("status", "FRESH")
            .containsKeys("age", "reason", "graceRemaining");
        Map<String, Object> info =
            Actuator.map(Actuator.map(Actuator.info(app).get("holdfast")).get("namespaces"));
        Map<String, Object> coreInfo = Actuator.map(info.get("core"));
        assertThat(((Number) coreInfo.get("revision")).longValue())
            .isEqualTo(client.snapshot("core").revision());
        assertThat(coreInfo).containsEntry("etag", client.snapshot("core").etag());
        assertThat(
                app.getBean(MeterRegistry.class)
                    .get("holdfast.client.status")
                    .tag("namespace", "core")
                    .tag("status", "fresh")
                    .gauge()
                    .value())
            .isEqualTo(1);
      }
      // Closed with the context: its sync thread is gone.
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().equals("holdfast-client-sync") && t.isAlive());
    }
  }

  @Test
  void aPublish_isSeenWithoutARestart_rebindsAndAnnouncesTheChangedKeys() {
    try (TwoReplicas replicas = new TwoReplicas(store)) {
      String credential = serve(replicas);
      try (ConfigurableApplicationContext app =
          start(args(replicas.replicas(), replicas.trustedKey(), credential))) {
        CoreProperties core = app.getBean(CoreProperties.class);
        DemoApplication.Events events = app.getBean(DemoApplication.Events.class);

        replicas.publish(
            "core",
            "{\"greeting\":\"from holdfast\",\"sessionTimeoutMinutes\":45,"
                + "\"hosts\":[\"a.example\",\"b.example\"]}");

        await().atMost(Duration.ofSeconds(10)).until(() -> core.getSessionTimeoutMinutes() == 45);
        assertThat(app.getEnvironment().getProperty("core.sessionTimeoutMinutes")).isEqualTo("45");
        await().atMost(Duration.ofSeconds(10)).until(() -> events.seen.size() == 2);
        // Spring Cloud's first (its rebinder has run), then the starter's own.
        EnvironmentChangeEvent cloud = (EnvironmentChangeEvent) events.seen.get(0);
        assertThat(cloud.getKeys()).containsExactly("core.sessionTimeoutMinutes");
        HoldfastEnvironmentChangeEvent holdfast =
            (HoldfastEnvironmentChangeEvent) events.seen.get(1);
        assertThat(holdfast.getNamespace()).isEqualTo("core");
        assertThat(holdfast.getKeys()).containsExactly("core.sessionTimeoutMinutes");
      }
    }
  }

  @Test
  void bothReplicasCutMidRun_keepsServing_andHealthStaysUpWithStatusStale() {
    TwoReplicas replicas = new TwoReplicas(store);
    String credential = serve(replicas);
    try (ConfigurableApplicationContext app =
        start(args(replicas.replicas(), replicas.trustedKey(), credential))) {
      replicas.close();
      HoldfastClient client = app.getBean(HoldfastClient.class);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> client.status("core").status() == Status.STALE);

      Map<String, Object> health = Actuator.health(app);
      assertThat(health).containsEntry("status", "UP");
      assertThat(Actuator.namespace(health, "core")).containsEntry("status", "STALE");
      assertThat((String) Actuator.namespace(health, "core").get("reason")).isNotBlank();
      assertThat(app.getEnvironment().getProperty("core.greeting")).isEqualTo("from holdfast");
      assertThat(app.getBean(CoreProperties.class).getSessionTimeoutMinutes()).isEqualTo(15);
    }
  }

  @Test
  void expired_reportsTheStatusTheOperatorChose() {
    String credential;
    String key;
    String addresses;
    try (TwoReplicas replicas = new TwoReplicas(store)) {
      credential = serve(replicas);
      key = replicas.trustedKey();
      addresses = replicas.replicas();
      start(args(addresses, key, credential)).close();
    }
    // On the cache, with a grace period already used up by the time since the last verification.
    try (ConfigurableApplicationContext app =
        start(
            args(
                addresses,
                key,
                credential,
                "--holdfast.grace=1ms",
                "--holdfast.stale-after=1ms",
                "--holdfast.health.expired-status=OUT_OF_SERVICE"))) {
      HoldfastClient client = app.getBean(HoldfastClient.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.status("core").status() == Status.EXPIRED);
      assertThat(Actuator.health(app)).containsEntry("status", "OUT_OF_SERVICE");
      assertThat(app.getEnvironment().getProperty("core.greeting")).isEqualTo("from holdfast");
    }
  }

  @Test
  void keyPrefixNone_namesPropertiesWithoutTheNamespace() {
    try (TwoReplicas replicas = new TwoReplicas(store)) {
      String credential = serve(replicas);
      try (ConfigurableApplicationContext app =
          start(
              args(
                  replicas.replicas(),
                  replicas.trustedKey(),
                  credential,
                  "--holdfast.key-prefix=none"))) {
        assertThat(app.getEnvironment().getProperty("greeting")).isEqualTo("from holdfast");
        assertThat(app.getEnvironment().getProperty("darkMode")).isEqualTo("true");
        assertThat(app.getEnvironment().containsProperty("core.greeting")).isFalse();
      }
    }
  }

  @Test
  void everyReplicaDown_withAVerifiedDiskCache_startsOnTheCache() {
    String credential;
    String key;
    String addresses;
    try (TwoReplicas replicas = new TwoReplicas(store)) {
      credential = serve(replicas);
      key = replicas.trustedKey();
      addresses = replicas.replicas();
      start(args(addresses, key, credential)).close();
    }
    // Both replicas are gone; the default policy (fail) does not apply: the cache is there.
    try (ConfigurableApplicationContext app = start(args(addresses, key, credential))) {
      assertThat(app.getBean(Greeting.class)).isEqualTo(new Greeting("from holdfast", 15));
      assertThat(app.getBean(CoreProperties.class).getHosts())
          .containsExactly("a.example", "b.example");
      assertThat(app.getBean(HoldfastClient.class).status("core").status()).isEqualTo(Status.STALE);
    }
  }

  @Test
  void neitherReplicasNorCache_failsByDefault_namingTheWayOut() throws Exception {
    String nowhere = closedPort();
    String key = randomKey();
    assertThatThrownBy(() -> start(args(nowhere, key, "token")))
        .hasStackTraceContaining("holdfast.when-unavailable=start-on-defaults");
  }

  @Test
  void neitherReplicasNorCache_startOnDefaults_startsOnLocalDefaults() throws Exception {
    String nowhere = closedPort();
    String key = randomKey();
    try (ConfigurableApplicationContext app =
        start(args(nowhere, key, "token", "--holdfast.when-unavailable=start-on-defaults"))) {
      assertThat(app.getBean(Greeting.class)).isEqualTo(new Greeting("local default", 30));
      assertThat(app.getBean(HoldfastClient.class).status("core").status())
          .isEqualTo(Status.INITIALIZING);
    }
  }

  @Test
  void aSeatStore_andTheSubscriptionsNamespace_makeASubscriptionChecker() throws Exception {
    String nowhere = closedPort();
    String key = randomKey();
    String[] common = {"--holdfast.when-unavailable=start-on-defaults", "--demo.seats=true"};
    String[] withSubscriptions =
        Arrays.stream(args(nowhere, key, "token", common))
            .map(a -> a.startsWith("--holdfast.namespaces=") ? a + ",subscriptions" : a)
            .toArray(String[]::new);
    try (ConfigurableApplicationContext app = start(withSubscriptions)) {
      assertThat(app.getBeansOfType(SubscriptionChecker.class)).hasSize(1);
    }
    try (ConfigurableApplicationContext app = start(args(nowhere, key, "token", common))) {
      assertThat(app.getBeansOfType(SubscriptionChecker.class)).isEmpty();
    }
  }

  @Test
  void missingSettings_areAllNamedInOneMessage() {
    assertThatThrownBy(
            () -> start("--spring.config.import=holdfast:", "--spring.main.banner-mode=off"))
        .hasStackTraceContaining("holdfast.replicas: at least one replica URI is required")
        .hasStackTraceContaining("holdfast.instance-id: required")
        .hasStackTraceContaining("holdfast.credential: required")
        .hasStackTraceContaining("holdfast.trusted-keys or holdfast.trusted-root")
        .hasStackTraceContaining("holdfast.namespaces");
  }

  @Test
  void aTrustedRootThatIsNotARoot_isNamedWithTheFile(@TempDir Path dir) throws Exception {
    Path notARoot = Files.writeString(dir.resolve("root.json"), "{\"keys\":[],\"threshold\":1}");

    assertThatThrownBy(
            () ->
                start(
                    "--spring.config.import=holdfast:",
                    "--spring.main.banner-mode=off",
                    "--holdfast.trusted-root=" + notARoot))
        .hasStackTraceContaining("holdfast.trusted-root: the root file " + notARoot)
        .hasStackTraceContaining("holdfast.replicas: at least one replica URI is required");
  }
}
