package io.holdfast.server.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe as a replica runs it: the canary created at start from the signing key alone, rounds
 * against the configured peers, and {@code GET /v1/admin/probes}.
 */
class ProbeInReplicaTest {

  @TempDir Path dataDir;

  @Test
  void enabledReplica_createsTheLabelledCanary_andProbesItselfAndItsPeer() throws Exception {
    try (ServerFixture b = ServerFixture.start(dataDir)) {
      int portA = freePort();
      URI uriA = URI.create("http://127.0.0.1:" + portA);
      URI uriB = URI.create("http://127.0.0.1:" + b.server().port());
      try (ServerFixture a =
          ServerFixture.startConfigured(
              dataDir,
              config -> config.port(portA).probeEnabled(true).probeTargets(List.of(uriA, uriB)))) {
        JsonNode canary = a.admin("GET", "/v1/admin/instances/" + Canary.INSTANCE, null);
        assertThat(canary.path("ring").asText()).isEqualTo("test");
        assertThat(canary.path("labels").path(Canary.LABEL).asText()).isEqualTo("true");
        String credential = a.server().probe().canaryCredential();
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    b.get("/v1/instances/" + Canary.INSTANCE + "/checksums", credential)
                            .statusCode()
                        == 200);

        List<ProbeResult> round = a.server().probe().running().orElseThrow().runRound();

        assertThat(round).extracting(ProbeResult::target).containsExactly(uriA, uriB);
        assertThat(round).allSatisfy(r -> assertThat(r.passed()).as(r.failure()).isTrue());
        JsonNode report = a.admin("GET", "/v1/admin/probes", null);
        assertThat(report.path("enabled").asBoolean()).isTrue();
        assertThat(report.path("healthy").asBoolean()).isTrue();
        assertThat(report.path("lastRound").isTextual()).isTrue();
        assertThat(report.path("targets"))
            .hasSize(2)
            .allSatisfy(
                target -> {
                  assertThat(target.path("contentAvailable").asBoolean()).isTrue();
                  assertThat(target.path("checksumsAvailable").asBoolean()).isTrue();
                  assertThat(target.path("lagging").asBoolean()).isFalse();
                  assertThat(target.path("diverged").asBoolean()).isFalse();
                  assertThat(target.path("checks").path("notModified").asText())
                      .isEqualTo("passed");
                  assertThat(target.path("failure").isNull()).isTrue();
                });
        assertThat(a.get("/v1/admin/probes", credential).statusCode())
            .as("an instance credential")
            .isEqualTo(403);
      }
    }
  }

  @Test
  void restartWithTheSameKey_findsTheCanaryAsItIs_andWritesNothing() {
    long revision;
    try (ServerFixture first =
        ServerFixture.startConfigured(dataDir, config -> config.probeEnabled(true))) {
      revision = first.server().snapshots().current().revision();
    }
    try (ServerFixture again =
        ServerFixture.startConfigured(dataDir, config -> config.probeEnabled(true))) {
      assertThat(again.server().snapshots().current().revision()).isEqualTo(revision);
      assertThat(again.server().probe().running().orElseThrow().runRound())
          .singleElement()
          .satisfies(r -> assertThat(r.passed()).as(r.failure()).isTrue());
    }
  }

  @Test
  void disabledReplica_createsNoCanary_andReportsNoTargets() {
    try (ServerFixture server = ServerFixture.start(dataDir)) {
      JsonNode report = server.admin("GET", "/v1/admin/probes", null);

      assertThat(report.path("enabled").asBoolean()).isFalse();
      assertThat(report.path("healthy").asBoolean()).as("no round, no evidence").isFalse();
      assertThat(report.path("targets")).isEmpty();
      assertThat(report.path("lastRound").isNull()).isTrue();
      assertThat(
              server
                  .get("/v1/admin/instances/" + Canary.INSTANCE, server.adminToken())
                  .statusCode())
          .isEqualTo(404);
      assertThat(server.server().probe().running()).isEmpty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
