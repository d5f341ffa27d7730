package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin verbs and {@code holdfast probe} against a replica that speaks TLS, and its start-up
 * errors.
 */
class TlsCommandsTest {

  @TempDir static Path dir;

  private static TestPki pki;
  private static TestPki.Issued certificate;
  private static HoldfastServer server;

  @BeforeAll
  static void startServer() {
    pki = TestPki.create(dir, "cli");
    certificate = pki.server("replica");
    // probeEnabled creates the canary that `holdfast probe` reads.
    server =
        HoldfastServer.start(
            ServerConfig.builder(dir.resolve("data"))
                .port(0)
                .refreshInterval(Duration.ofMillis(50))
                .probeEnabled(true)
                .probeInterval(Duration.ofHours(1))
                .tls(TlsSettings.of(certificate.certificate(), certificate.privateKey(), null))
                .build());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String https() {
    return "https://127.0.0.1:" + server.port();
  }

  @Test
  void adminVerb_withCacert_talksTls() {
    CliRun run =
        CliRun.raw(
            "ring",
            "list",
            "--server",
            https(),
            "--token",
            server.adminToken(),
            "--cacert",
            pki.caCertificate().toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("live");
  }

  @Test
  void adminVerb_withoutTheAuthority_isRefusedAsUnreachable_neverPlainHttp() {
    CliRun run = CliRun.raw("ring", "list", "--server", https(), "--token", server.adminToken());

    assertThat(run.exit()).isEqualTo(HoldfastCommand.EXIT_UNREACHABLE);
    assertThat(run.err()).contains("cannot reach");
  }

  @Test
  void adminVerb_withAnUnreadableCacert_saysWhichFile() {
    Path missing = dir.resolve("no-such-ca.pem");
    CliRun run =
        CliRun.raw(
            "ring",
            "list",
            "--server",
            https(),
            "--token",
            server.adminToken(),
            "--cacert",
            missing.toString());

    assertThat(run.exit()).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("cannot read the CA bundle " + missing).doesNotContain("\tat ");
  }

  @Test
  void probe_withCacert_passes_andWithoutFails() {
    String[] probe = {
      "probe",
      "--replica",
      https(),
      "--credential",
      server.probe().canaryCredential(),
      "--trust-key",
      server.verificationKey().toBase64(),
      "--timeout",
      "3s"
    };

    CliRun trusted = CliRun.raw(concat(probe, "--cacert", pki.caCertificate().toString()));
    assertThat(trusted.exit()).as(trusted.err()).isZero();
    assertThat(trusted.out()).contains(https());

    CliRun untrusted = CliRun.raw(probe);
    assertThat(untrusted.exit()).isNotZero();
    assertThat(untrusted.err()).contains("probe failed");
  }

  @Test
  void server_withAMissingCertificate_refusesToStart_withOneClearLine() {
    Path missing = dir.resolve("missing.crt");
    CliRun refused =
        CliRun.raw(
            "server",
            "--data-dir",
            dir.resolve("other").toString(),
            "--port",
            "0",
            "--probe-enabled",
            "false",
            "--tls-cert",
            missing.toString(),
            "--tls-key",
            certificate.privateKey().toString());

    assertThat(refused.exit()).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
    assertThat(refused.err())
        .isEqualTo("error: tls-cert " + missing + " does not exist" + System.lineSeparator());
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
