package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast probe} against a real replica with the canary, directly and through a fault
 * proxy: exit 0 when every check passes, exit 5 naming the failed check and replica otherwise.
 */
class ProbeCommandTest {

  @TempDir static Path dataDir;

  private static HoldfastServer server;
  private static FaultyReplica proxy;

  @BeforeAll
  static void start() throws Exception {
    // probeEnabled creates the canary; the rounds of the replica itself play no part here.
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir)
                .port(0)
                .refreshInterval(Duration.ofMillis(50))
                .probeEnabled(true)
                .probeInterval(Duration.ofHours(1))
                .build());
    proxy = FaultyReplica.start(replica());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.close();
  }

  private static URI replica() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private static CliRun probe(String... extra) {
    String[] base = {
      "probe",
      "--replica",
      replica().toString(),
      "--replica",
      proxy.uri().toString(),
      "--credential",
      server.probe().canaryCredential(),
      "--timeout",
      "2s"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.raw(args);
  }

  @Test
  void healthyReplicas_exitZero_withATableOfBoth() {
    proxy.clear();

    CliRun run = probe("--trust-key", server.verificationKey().toBase64());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("REPLICA")
        .contains(replica().toString())
        .contains(proxy.uri().toString());
    // Each replica's release and schema, as its readiness says (issue 23): both run this build.
    String release =
        server.version().release() + " (schema " + server.version().schema().understood() + ")";
    assertThat(run.out().lines().filter(line -> line.contains(release))).hasSize(2);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void signingKeyFileAsTrustKey_andAdminTokenAsCredential_work() {
    proxy.clear();

    CliRun run =
        CliRun.raw(
            "probe",
            "--replica",
            replica().toString(),
            "--credential",
            server.adminToken(),
            "--trust-key",
            dataDir.resolve("signing-key.pem").toString());

    assertThat(run.exit()).as(run.err()).isZero();
  }

  @Test
  void A9_checksumsUnavailableOnOneReplica_exitsFive_namingTheCheckAndTheReplica()
      throws Exception {
    proxy.clear();
    proxy.fault("/checksums", Fault.status(503, "5"));

    CliRun run = probe("--pin-key-id", server.verificationKey().keyId(), "--json");

    assertThat(run.exit()).isEqualTo(ProbeCommand.EXIT_PROBE_FAILED);
    assertThat(run.err())
        .contains("probe failed: checksums on " + proxy.uri() + ": checksums: HTTP 503")
        .doesNotContain(replica().toString());
    JsonNode report = run.json();
    assertThat(report.path("healthy").asBoolean()).isFalse();
    assertThat(report.path("targets").get(1).path("checksumsAvailable").asBoolean()).isFalse();
    assertThat(report.path("targets").get(1).path("contentAvailable").asBoolean()).isTrue();
    assertThat(report.path("targets").get(0).path("healthy").asBoolean()).isTrue();
  }

  @Test
  void A8_flippedByte_exitsFive_namingTheDigestCheck() {
    proxy.clear();
    proxy.fault("/config/", Fault.flipByte());

    CliRun run = probe("--trust-key", server.verificationKey().toBase64());

    assertThat(run.exit()).isEqualTo(ProbeCommand.EXIT_PROBE_FAILED);
    assertThat(run.err())
        .contains(
            "probe failed: digest on " + proxy.uri() + ": Repr-Digest does not match the body");
    assertThat(run.out()).contains("DOWN");
  }

  @Test
  void untrustedKey_failsTheSignatureCheck() throws Exception {
    proxy.clear();
    String otherKey =
        java.util.Base64.getEncoder()
            .encodeToString(
                java.security.KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair()
                    .getPublic()
                    .getEncoded());

    CliRun run = probe("--trust-key", otherKey);

    assertThat(run.exit()).isEqualTo(ProbeCommand.EXIT_PROBE_FAILED);
    assertThat(run.err())
        .contains("probe failed: signature on " + replica())
        .contains("which is not trusted");
  }

  @Test
  void noKeyToTrust_isAUsageError() {
    CliRun run = probe();

    assertThat(run.exit()).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--trust-key or --pin-key-id");
  }
}
