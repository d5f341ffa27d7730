package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.Admission.Outcome;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.spring.boot.demo.DemoApplication;
import io.holdfast.spring.boot.demo.DemoApplication.CoreProperties;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The incident (FAULTS.md A9, the incident itself), replayed against a Spring Boot application on
 * the starter: after a routine change, the checksum data and then the content could no longer be
 * read from either replica; applications threw instead of keeping their configuration, lost their
 * seat counts and locked users out. Here both replicas sit behind fault proxies, and the
 * application must keep every value, stay UP (STALE, with the reason), keep admitting every seat
 * holder and new users up to the subscribed quantity, and be FRESH again once the faults clear,
 * with nobody touching it.
 */
class IncidentReplayThroughStarterTest {

  private static final String APPLICATION = "crm";
  private static final int QUANTITY = 5;
  private static final List<String> HOLDERS = List.of("ann", "bob", "cid");

  /** Reads the application makes inside the content outage, before it ends. */
  private static final int OUTAGE_READS = 100;

  private static final ConditionFactory SOON =
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20));

  @TempDir Path dir;

  @Test
  void A9_checksumsThenContentUnavailable_appKeepsEveryValueAndSeat_healthUpStale_freshAfter()
      throws Exception {
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"));
        FaultyReplica proxyA = FaultyReplica.start(replicas.uris().get(0));
        FaultyReplica proxyB = FaultyReplica.start(replicas.uris().get(1))) {
      String credential = StarterApp.serve(replicas);
      replicas.subscribe(StarterApp.INSTANCE, APPLICATION, QUANTITY);
      String[] args =
          StarterApp.with(
              StarterApp.args(
                  proxyA.uri() + "," + proxyB.uri(),
                  replicas.trustedKey(),
                  credential,
                  dir.resolve("cache"),
                  "--demo.seats=true"),
              "holdfast.namespaces",
              "core,features,subscriptions");
      try (ConfigurableApplicationContext app = StarterApp.start(DemoApplication.class, args)) {
        HoldfastClient client = app.getBean(HoldfastClient.class);
        SubscriptionChecker checker = app.getBean(SubscriptionChecker.class);
        CoreProperties core = app.getBean(CoreProperties.class);
        assertThat(allFresh(client)).isTrue();
        for (String holder : HOLDERS) {
          assertThat(checker.admit(APPLICATION, holder).outcome()).isEqualTo(Outcome.ADMITTED);
        }
        Map<String, Object> values = holdfastValues(app);
        assertThat(values)
            .containsEntry("core.greeting", "from holdfast")
            .containsKey("subscriptions.applications.crm[0].quantity");

        Queue<String> broken = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicBoolean contentOutage = new AtomicBoolean();
        AtomicLong outageReads = new AtomicLong();
        Thread application =
            Thread.ofPlatform()
                .name("application-reads")
                .start(
                    () -> {
                      while (reading.get()) {
                        boolean outageBefore = contentOutage.get();
                        read(app, values, core, checker, broken);
                        if (outageBefore && contentOutage.get()) {
                          outageReads.incrementAndGet();
                        }
                        // Paced: a spinning reader would take a core from the replicas and the
                        // client.
                        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                      }
                    });
        try {
          List<FaultyReplica> proxies = List.of(proxyA, proxyB);

          // 1. The checksum data cannot be read from either replica.
          for (FaultyReplica proxy : proxies) {
            proxy.fault("/checksums", Fault.status(500));
            proxy.fault("/watch", Fault.status(500));
          }
          // The client has been refused the checksums again and again (it fetches the documents
          // directly meanwhile).
          SOON.until(() -> proxyA.faulted() + proxyB.faulted() >= 4);
          read(app, values, core, checker, broken);

          // 2. Then the content neither.
          for (FaultyReplica proxy : proxies) {
            proxy.fault("/config/", Fault.status(503));
          }
          contentOutage.set(true);
          SOON.until(() -> allStale(client));
          long staleAt = outageReads.get();
          SOON.until(() -> outageReads.get() >= staleAt + OUTAGE_READS);

          Map<String, Object> health = Actuator.health(app);
          assertThat(health).containsEntry("status", "UP");
          for (String namespace : List.of("core", "features", "subscriptions")) {
            assertThat(Actuator.namespace(health, namespace))
                .containsEntry("status", Status.STALE.name());
          }
          assertThat((String) Actuator.namespace(health, "core").get("reason"))
              .containsPattern("HTTP 50[03]");
          // New users are admitted up to the subscribed quantity, and not beyond: the count held.
          assertThat(checker.admit(APPLICATION, "dan").outcome()).isEqualTo(Outcome.ADMITTED);
          assertThat(checker.admit(APPLICATION, "eve").outcome()).isEqualTo(Outcome.ADMITTED);
          assertThat(checker.admit(APPLICATION, "fay").outcome())
              .isEqualTo(Outcome.DENIED_LIMIT_REACHED);
          read(app, values, core, checker, broken);

          // 3. The faults clear; nobody touches the application.
          contentOutage.set(false);
          proxies.forEach(FaultyReplica::clear);
          SOON.until(() -> allFresh(client));
        } finally {
          reading.set(false);
          application.join(Duration.ofSeconds(5));
        }
        Map<String, Object> health = Actuator.health(app);
        assertThat(health).containsEntry("status", "UP");
        assertThat(Actuator.namespace(health, "subscriptions"))
            .containsEntry("status", Status.FRESH.name());
        read(app, values, core, checker, broken);
        assertThat(checker.admit(APPLICATION, "dan").outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(outageReads.get()).isGreaterThanOrEqualTo(OUTAGE_READS);
        assertThat(broken).as("reads that threw, lost a value or turned a holder away").isEmpty();
      }
    }
  }

  /**
   * One round of the application's reads: every Holdfast value in the Environment, the bound
   * properties, and a login of every seat holder. Records what is wrong instead of failing.
   */
  private static void read(
      ConfigurableApplicationContext app,
      Map<String, Object> expected,
      CoreProperties core,
      SubscriptionChecker checker,
      Queue<String> broken) {
    try {
      expected.forEach(
          (name, value) -> {
            Object now = app.getEnvironment().getProperty(name, Object.class);
            if (!value.equals(now)) {
              broken.add(name + " was " + value + ", read " + now);
            }
          });
      if (core.getSessionTimeoutMinutes() != 15) {
        broken.add("core.sessionTimeoutMinutes bound as " + core.getSessionTimeoutMinutes());
      }
      for (String holder : HOLDERS) {
        Admission admission = checker.admit(APPLICATION, holder);
        if (!admission.admitted()) {
          broken.add(holder + " turned away: " + admission);
        }
      }
    } catch (RuntimeException e) {
      broken.add("a read threw " + e);
    }
  }

  /** Every value the Holdfast property sources hold, by name. */
  private static Map<String, Object> holdfastValues(ConfigurableApplicationContext app) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (PropertySource<?> source : app.getEnvironment().getPropertySources()) {
      if (source.getName().startsWith("holdfast:")
          && source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          values.putIfAbsent(name, enumerable.getProperty(name));
        }
      }
    }
    return values;
  }

  private static boolean allFresh(HoldfastClient client) {
    return client.statuses().values().stream()
        .map(Freshness::status)
        .allMatch(Status.FRESH::equals);
  }

  private static boolean allStale(HoldfastClient client) {
    return client.statuses().values().stream()
        .map(Freshness::status)
        .allMatch(Status.STALE::equals);
  }
}
