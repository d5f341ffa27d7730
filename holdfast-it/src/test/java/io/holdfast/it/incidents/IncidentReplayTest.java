package io.holdfast.it.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.it.process.JavaProcess;
import io.holdfast.it.process.PrometheusProcess;
import io.holdfast.it.process.ReplicaMain;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident, end to end (issue 5): two real replica processes over one store, a fleet of 50 real
 * SDK clients, a real Prometheus evaluating {@code deploy/prometheus/alerts.yml}. The checksum
 * data, then the content too, become unavailable through both replicas for two minutes. No client
 * throws and no subscription count changes; the replicas' own probes and the alert rules see it
 * within 60 s; the fleet view shows the instances STALE; when the faults clear, everything is FRESH
 * again and the alerts resolve, with no manual step.
 *
 * <p>The faults sit in fault proxies on the public path in front of each replica process, where the
 * clients and the probes reach them; the admin API is read directly, and {@code /metrics} on each
 * replica's management port.
 */
class IncidentReplayTest {

  private static final int FLEET = 50;
  private static final Duration OUTAGE = Duration.ofMinutes(2);
  private static final Duration DETECTION = Duration.ofSeconds(60);
  private static final String TOKEN = "hfa_incident-replay-admin-token-0123456789";

  private final AdminHttp http = new AdminHttp();

  /** A free loopback port, held until the caller closes it. */
  private static ServerSocket reservePort() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static ConditionFactory within(Duration duration) {
    return Awaitility.await().atMost(duration).pollInterval(Duration.ofMillis(250));
  }

  /** The admin API of the replica process on {@code port}, read directly (not through a proxy). */
  private AdminApi admin(int port) {
    return new AdminApi(http, port, TOKEN);
  }

  private JsonNode fleetCounts(int port) {
    return admin(port).call("GET", "/v1/admin/fleet", null).path("counts");
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // a two-minute outage, plus start-up and recovery
  void
      checksumsThenContentUnavailableOnBothReplicaProcesses_fleetHolds_monitoringSeesIt_allFreshAfterwards(
          @TempDir Path dir) throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    ServerSocket reservedA = reservePort();
    ServerSocket reservedB = reservePort();
    int portA = reservedA.getLocalPort();
    int portB = reservedB.getLocalPort();
    List<HoldfastClient> fleet = new ArrayList<>();
    try (reservedA;
        reservedB;
        FaultyReplica proxyA = FaultyReplica.start(URI.create("http://127.0.0.1:" + portA));
        FaultyReplica proxyB = FaultyReplica.start(URI.create("http://127.0.0.1:" + portB))) {
      // The replicas' ports are let go only now that both proxies are bound: a port released
      // earlier could be handed to a proxy, and a replica that cannot bind its port stops.
      reservedA.close();
      reservedB.close();
      String[] probeTargets = {proxyA.uri().toString(), proxyB.uri().toString()};
      try (JavaProcess replicaA = replica(dir, "a", portA, probeTargets);
          JavaProcess replicaB = replica(dir, "b", portB, probeTargets);
          // Prometheus scrapes the replicas' management ports, as operators configure it.
          PrometheusProcess prometheus =
              PrometheusProcess.start(
                  root,
                  dir.resolve("prometheus"),
                  List.of(
                      "127.0.0.1:" + ReplicaMain.Ready.of(replicaA, 0).managementPort(),
                      "127.0.0.1:" + ReplicaMain.Ready.of(replicaB, 0).managementPort()))) {
        VerificationKey key =
            VerificationKey.fromBase64(
                admin(portA)
                    .call("GET", "/v1/keys", null)
                    .path("keys")
                    .get(0)
                    .path("publicKey")
                    .asText());
        List<String> credentials = seed(portA);

        for (int i = 0; i < FLEET; i++) {
          fleet.add(
              HoldfastClient.builder()
                  .replicas(proxyA.uri(), proxyB.uri())
                  .instance(instance(i), credentials.get(i))
                  .trustedKey(key)
                  .namespaces("core", "subscriptions")
                  .cacheDirectory(dir.resolve("cache").resolve(instance(i)))
                  .watchTimeout(Duration.ofSeconds(5))
                  .pollInterval(Duration.ofSeconds(5))
                  .heartbeatInterval(Duration.ofSeconds(2))
                  .backoff(Duration.ofMillis(200), Duration.ofSeconds(3))
                  .startupTimeout(Duration.ofSeconds(30))
                  .build());
        }
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> started = new ArrayList<>();
          fleet.forEach(c -> started.add(starting.submit(c::start)));
          for (Future<?> start : started) {
            start.get();
          }
        }
        within(Duration.ofSeconds(30))
            .until(() -> fleetCounts(portA).path("fresh").asInt() == FLEET);

        Queue<String> broken = new ConcurrentLinkedQueue<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        Thread application =
            Thread.ofPlatform()
                .name("application-reads")
                .start(
                    () -> {
                      while (watching.get()) {
                        for (HoldfastClient client : fleet) {
                          try {
                            ConfigSnapshot seats = client.snapshot("subscriptions");
                            int quantity = seats.getInt("/applications/crm/0/quantity", -1);
                            if (quantity != 25 || seats.status() == Status.INITIALIZING) {
                              broken.add(
                                  seats.namespace()
                                      + " of "
                                      + seats
                                      + " holds "
                                      + quantity
                                      + " seats");
                            }
                            if (!client.snapshot("core").getBoolean("feature.search", false)) {
                              broken.add("core lost its content: " + client.snapshot("core"));
                            }
                            reads.incrementAndGet();
                          } catch (RuntimeException e) {
                            broken.add("a read threw " + e);
                          }
                        }
                        // Paced: a read loop that spins would take a core from the two replica
                        // processes.
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                      }
                    });

        // 1. The checksum data becomes unavailable through both replicas.
        long outageStart = System.nanoTime();
        for (FaultyReplica proxy : List.of(proxyA, proxyB)) {
          proxy.fault("/checksums", Fault.status(503));
          proxy.fault("/watch", Fault.status(503));
        }
        within(DETECTION)
            .until(
                () ->
                    prometheus.fires("ReplicaChecksumUnavailable", "target", probeTargets[0])
                        && prometheus.fires(
                            "ReplicaChecksumUnavailable", "target", probeTargets[1]));
        Duration checksumAlert = Duration.ofNanos(System.nanoTime() - outageStart);
        JsonNode probes = admin(portB).call("GET", "/v1/admin/probes", null);
        assertThat(probes.toString()).contains("checksums");

        // 2. Then the content too.
        long contentStart = System.nanoTime();
        for (FaultyReplica proxy : List.of(proxyA, proxyB)) {
          proxy.fault("/config/", Fault.status(503));
        }
        within(Duration.ofSeconds(30))
            .until(() -> fleet.stream().allMatch(c -> c.status("core").status() == Status.STALE));
        within(Duration.ofSeconds(30))
            .until(() -> fleetCounts(portB).path("stale").asInt() == FLEET);
        within(DETECTION)
            .until(
                () ->
                    prometheus.fires("ReplicaContentUnavailable", "target", probeTargets[0])
                        && prometheus.fires(
                            "ReplicaContentUnavailable", "target", probeTargets[1]));
        Duration contentAlert = Duration.ofNanos(System.nanoTime() - contentStart);

        // The outage lasts two minutes from its start, and the fleet holds throughout: every
        // client STALE on its last-known-good copy, checked all along, not just at the end.
        Duration remaining = OUTAGE.minusNanos(System.nanoTime() - outageStart);
        if (!remaining.isNegative() && !remaining.isZero()) {
          Awaitility.await()
              .during(remaining)
              .atMost(remaining.plusSeconds(10))
              .pollInterval(Duration.ofSeconds(1))
              .until(() -> fleet.stream().allMatch(c -> c.status("core").status() == Status.STALE));
        }
        assertThat(fleet).allMatch(c -> c.status("core").status() == Status.STALE);

        // 3. The faults clear; nobody does anything else.
        proxyA.clear();
        proxyB.clear();
        within(Duration.ofSeconds(60))
            .until(
                () ->
                    fleet.stream()
                        .allMatch(
                            c ->
                                c.statuses().values().stream()
                                    .allMatch(f -> f.status() == Status.FRESH)));
        within(Duration.ofSeconds(30))
            .until(() -> fleetCounts(portA).path("fresh").asInt() == FLEET);
        within(Duration.ofSeconds(60))
            .until(
                () ->
                    prometheus.healthy()
                        && Stream.of(probeTargets)
                            .noneMatch(
                                target ->
                                    prometheus.fires("ReplicaChecksumUnavailable", "target", target)
                                        || prometheus.fires(
                                            "ReplicaContentUnavailable", "target", target)));
        watching.set(false);
        application.join();

        assertThat(broken).as("reads that threw or lost a seat").isEmpty();
        assertThat(reads.get()).isGreaterThan(FLEET);
        assertThat(checksumAlert).isLessThanOrEqualTo(DETECTION);
        assertThat(contentAlert).isLessThanOrEqualTo(DETECTION);
        assertThat(replicaA.alive() && replicaB.alive()).isTrue();
        assertThat(prometheus.healthy())
            .as("Prometheus, which saw the alerts resolve, is still up")
            .isTrue();
        System.out.printf(
            "incident replay: checksum alert after %d s, content alert after %d s, %d reads%n",
            checksumAlert.toSeconds(), contentAlert.toSeconds(), reads.get());
      }
    } finally {
      fleet.parallelStream().forEach(HoldfastClient::close);
      http.close();
    }
  }

  private static String instance(int i) {
    return String.format("fleet-%02d", i);
  }

  private static JavaProcess replica(Path dir, String name, int port, String... probeTargets)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(dir.resolve("data").toString(), Integer.toString(port), TOKEN, "2000"));
    args.addAll(List.of(probeTargets));
    JavaProcess process =
        JavaProcess.java(
            dir.resolve("replica-" + name + ".log"),
            ReplicaMain.class.getName(),
            args.toArray(String[]::new));
    ReplicaMain.Ready.of(process, 60);
    return process;
  }

  /**
   * The fleet, its configuration and one CRM subscription of 25 seats each; returns the
   * credentials.
   */
  private List<String> seed(int port) {
    AdminApi admin = admin(port);
    admin.createNamespace("core");
    admin.call("POST", "/v1/admin/applications", "{\"name\":\"crm\"}");
    List<String> credentials = new ArrayList<>();
    for (int i = 0; i < FLEET; i++) {
      credentials.add(admin.createInstance(instance(i), "live"));
      admin.call(
          "POST",
          "/v1/admin/subscriptions",
          "{\"instance\":\""
              + instance(i)
              + "\",\"application\":\"crm\","
              + "\"quantity\":25,\"validFrom\":\"2020-01-01T00:00:00Z\",\"plan\":\"enterprise\"}");
    }
    admin.stage("core", "default", "{\"feature\":{\"search\":true},\"limit\":100}");
    admin.publish("core", "incident replay");
    return credentials;
  }
}
