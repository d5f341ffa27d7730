package io.holdfast.server.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.server.ServerFixture;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.ManualTime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only comparing replicas shows: one replica serving an older, validly signed state than its
 * peer (FAULTS A16), and two replicas serving different bytes for the same revision (FAULTS A17).
 */
class ProbeLagAndDivergenceTest {

  private static final String ADMIN_TOKEN = "hfa_probe_lag_and_divergence";
  private static final Duration TOLERANCE = Duration.ofSeconds(30);

  @Test
  void A16_replicaReplayingAnOlderState_isLaggingOnlyAfterTheTolerance_andRecovers(
      @TempDir Path dataDir) throws Exception {
    try (ServerFixture a = ServerFixture.start(dataDir);
        ServerFixture b = ServerFixture.start(dataDir)) {
      String credential = a.createInstance(Canary.INSTANCE, "test");
      String checksumsPath = "/v1/instances/" + Canary.INSTANCE + "/checksums";
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> b.get(checksumsPath, credential).statusCode() == 200);
      try (FaultyReplica proxyA = FaultyReplica.start(uri(a));
          FaultyReplica proxyB = FaultyReplica.start(uri(b))) {
        FaultyReplica.Recorded oldDocument =
            proxyB.record(
                "/v1/instances/" + Canary.INSTANCE + "/config/" + Canary.NAMESPACE,
                "Authorization",
                "Bearer " + credential);
        FaultyReplica.Recorded oldChecksums =
            proxyB.record(checksumsPath, "Authorization", "Bearer " + credential);
        a.createNamespace("core");
        a.publishLayer(
            "core", "default", "{\"sessionTimeoutMinutes\":20}"); // the canary receives it
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    Arrays.equals(
                        b.get(checksumsPath, credential).body(),
                        a.get(checksumsPath, credential).body()));
        proxyB.fault("/config/", Fault.replay(oldDocument));
        proxyB.fault("/checksums", Fault.replay(oldChecksums));

        ManualTime time = new ManualTime();
        ProbeResults results = new ProbeResults(TOLERANCE, time.clock());
        try (SyntheticProbe probe =
            probe(credential, a, time, results, proxyA.uri(), proxyB.uri())) {
          probe.runRound();

          TargetStatus behind = results.status(proxyB.uri()).orElseThrow();
          assertThat(behind.checksumsRevision())
              .isLessThan(results.status(proxyA.uri()).orElseThrow().checksumsRevision());
          assertThat(behind.behindSince()).isEqualTo(time.clock().instant());
          assertThat(behind.lagging()).as("behind for less than the tolerance").isFalse();
          assertThat(behind.diverged()).as("older is not different").isFalse();

          time.advance(TOLERANCE.minusSeconds(1));
          probe.runRound();
          assertThat(results.status(proxyB.uri()).orElseThrow().lagging()).isFalse();

          time.advance(Duration.ofSeconds(1));
          assertThat(results.status(proxyB.uri()).orElseThrow().lagging())
              .as("judged when read, without another round")
              .isTrue();
          assertThat(results.status(proxyA.uri()).orElseThrow().lagging()).isFalse();

          proxyB.clear();
          probe.runRound();
          TargetStatus recovered = results.status(proxyB.uri()).orElseThrow();
          assertThat(recovered.lagging()).isFalse();
          assertThat(recovered.behindSince()).isNull();
          assertThat(recovered.healthy()).isTrue();
        }
      }
    }
  }

  @Test
  void A17_twoDivergedStoresServeTheSameRevisionWithDifferentContent_bothAreFlaggedDiverged(
      @TempDir Path dir) throws Exception {
    Path storeA = dir.resolve("a");
    Path storeB = dir.resolve("b");
    try (ServerFixture a =
        ServerFixture.startConfigured(storeA, config -> config.adminToken(ADMIN_TOKEN))) {
      Files.createDirectories(storeB);
      Files.copy(storeA.resolve("signing-key.pem"), storeB.resolve("signing-key.pem"));
      try (ServerFixture b =
          ServerFixture.startConfigured(storeB, config -> config.adminToken(ADMIN_TOKEN))) {
        // The same operations on both stores give the same revisions, but different content.
        long revisionA = seed(a, 25);
        long revisionB = seed(b, 0);
        assertThat(revisionB).isEqualTo(revisionA);

        ManualTime time = new ManualTime();
        ProbeResults results = new ProbeResults(TOLERANCE, time.clock());
        // An admin token reads any instance: the two stores minted different canary credentials.
        try (SyntheticProbe probe = probe(ADMIN_TOKEN, a, time, results, uri(a), uri(b))) {
          List<ProbeResult> round = probe.runRound();

          assertThat(round).allSatisfy(r -> assertThat(r.passed()).as(r.failure()).isTrue());
          assertThat(round.get(0).checksumsRevision()).isEqualTo(round.get(1).checksumsRevision());
          assertThat(round.get(0).checksumsEtag()).isNotEqualTo(round.get(1).checksumsEtag());
          assertThat(results.statuses())
              .allSatisfy(
                  status -> {
                    assertThat(status.diverged()).isTrue();
                    assertThat(status.lagging()).isFalse();
                    assertThat(status.healthy()).isFalse();
                  });
        }
      }
    }
  }

  private static SyntheticProbe probe(
      String credential,
      ServerFixture keyHolder,
      ManualTime time,
      ProbeResults results,
      URI... targets) {
    return new SyntheticProbe(
        new CanaryProber(
            new CanaryTarget(Canary.INSTANCE, credential, Canary.NAMESPACE),
            List.of(keyHolder.server().verificationKey()),
            Duration.ofSeconds(2),
            time.clock()),
        List.of(targets),
        results);
  }

  /**
   * Creates the canary and a namespace it receives, and publishes {@code seats}; returns the
   * revision.
   */
  private static long seed(ServerFixture server, int seats) {
    server.createInstance(Canary.INSTANCE, "test");
    server.createNamespace("core");
    return server.publishLayer("core", "default", "{\"seats\":{\"crm\":" + seats + "}}");
  }

  private static URI uri(ServerFixture server) {
    return URI.create("http://127.0.0.1:" + server.server().port());
  }
}
