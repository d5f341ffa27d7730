package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * FAULTS.md B9 at the scale one test JVM affords: a fleet of real clients, all STALE through an
 * outage of both replicas, comes back when the replicas do. Full-jitter backoff spreads the
 * reconnects; every client is FRESH again without a retry storm and the replicas stay up. The 10
 * 000-client version with server admission control is the push benchmark's (issue 8).
 */
class ReconnectStormTest extends FaultScenarios {

  private static final int CLIENTS = 150;

  @Test
  void B9_fleetInGraceRecoversTogether_allFreshWithinTheBackoffCap_noRetryStorm_replicasStayUp()
      throws Exception {
    String id = "b9-storm";
    long r1 = fx.instance(id, doc(1));
    ManualTime time = new ManualTime();
    List<HoldfastClient> fleet = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      // Deadlines for a loaded machine: 150 clients share two cores with the replicas.
      fleet.add(
          fx.build(
              fx.builder(id, time)
                  .backoff(Duration.ofMillis(200), Duration.ofSeconds(3))
                  .requestTimeout(Duration.ofSeconds(3))));
    }
    try (ExecutorService starter = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> started = new ArrayList<>();
      for (HoldfastClient client : fleet) {
        started.add(starter.submit(client::start));
      }
      for (Future<?> start : started) {
        start.get();
      }
    }
    eventually()
        .until(
            () ->
                fleet.stream()
                    .allMatch(c -> c.status(FaultFixture.NAMESPACE).status() == Status.FRESH));

    fx.refuseBoth();
    eventually()
        .until(
            () ->
                fleet.stream()
                    .allMatch(c -> c.status(FaultFixture.NAMESPACE).status() == Status.STALE));
    time.advance(Duration.ofHours(1)); // an hour into grace
    fx.resetCounts();
    fx.clearFaults();
    long recovering = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                fleet.stream()
                    .allMatch(c -> c.status(FaultFixture.NAMESPACE).status() == Status.FRESH));
    Duration recovery = Duration.ofNanos(System.nanoTime() - recovering);
    int requests = fx.requests();

    assertThat(fleet).allMatch(c -> c.snapshot(FaultFixture.NAMESPACE).revision() == r1);
    assertThat(recovery)
        .as("within the 3 s backoff cap, plus the work")
        .isLessThan(Duration.ofSeconds(10));
    // Recovery costs each client a few requests (checksums, a watch or two), never a storm of
    // retries; the replicas answer while the fleet piles in.
    assertThat(requests).as("requests during recovery").isLessThan(CLIENTS * 8);
    assertThat(ready(fx.pair().serverA().port())).isEqualTo(200);
    assertThat(ready(fx.pair().serverB().port())).isEqualTo(200);
  }

  private static int ready(int port) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }
}
