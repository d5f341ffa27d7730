package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast credential create|list|update|rotate|revoke} against a real replica, and {@code
 * holdfast server} refusing a signing key that others can read.
 */
class CredentialCommandsTest {

  @TempDir static Path dataDir;

  private static HoldfastServer server;

  @BeforeAll
  static void startServer() {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static CliRun run(String... args) {
    return CliRun.against(server, args);
  }

  /** A read with {@code token} instead of the bootstrap one: its exit code. */
  private static int readWith(String token) {
    return CliRun.raw(
            "ring", "list", "--server", "http://127.0.0.1:" + server.port(), "--token", token)
        .exit();
  }

  @Test
  void lifecycle_createUpdateRotateRevoke_eachTakesEffectAtOnce() throws Exception {
    CliRun created =
        run(
            "credential",
            "create",
            "cli-ops",
            "--role",
            "viewer",
            "--expires",
            "2100-01-01T00:00:00Z");
    assertThat(created.exit()).isZero();
    String token = created.json().get("token").asText();
    assertThat(created.json().get("expiresAt").asText()).isEqualTo("2100-01-01T00:00:00Z");
    assertThat(readWith(token)).isZero();

    CliRun updated = run("credential", "update", "cli-ops", "--role", "editor", "--no-expiry");
    assertThat(updated.exit()).isZero();
    assertThat(updated.json().get("role").asText()).isEqualTo("editor");
    assertThat(updated.json().get("expiresAt").isNull()).isTrue();

    CliRun rotated = run("credential", "rotate", "cli-ops");
    assertThat(rotated.exit()).isZero();
    String fresh = rotated.json().get("token").asText();
    assertThat(fresh).startsWith("hfa_").isNotEqualTo(token);
    assertThat(readWith(token)).as("the old token is dead").isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(readWith(fresh)).isZero();

    CliRun revoked = run("credential", "revoke", "cli-ops");
    assertThat(revoked.exit()).isZero();
    assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
    assertThat(readWith(fresh)).isEqualTo(HoldfastCommand.EXIT_REFUSED);

    CliRun listed = run("credential", "list");
    assertThat(listed.exit()).isZero();
    JsonNode ops = null;
    for (JsonNode credential : listed.json().get("credentials")) {
      if (credential.get("name").asText().equals("cli-ops")) {
        ops = credential;
      }
    }
    assertThat(ops).isNotNull();
    assertThat(ops.get("state").asText()).isEqualTo("revoked");
    assertThat(ops.get("createdAt").isTextual()).isTrue();
    assertThat(ops.has("lastUsedAt")).isTrue();
    assertThat(listed.out()).doesNotContain(token).doesNotContain(fresh);
  }

  @Test
  void revokingTheLastAdmin_exitsOneWithTheProblem() {
    CliRun refused = run("credential", "revoke", "bootstrap");

    assertThat(refused.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(refused.err()).contains("409").contains("last usable admin");
    assertThat(readWith(server.adminToken())).isZero();
  }

  @Test
  void updateWithoutAChange_isAUsageError() {
    CliRun usage = run("credential", "update", "bootstrap");

    assertThat(usage.exit()).isEqualTo(picocli.CommandLine.ExitCode.USAGE);
    assertThat(usage.err()).contains("--role");
  }

  @Test
  void server_refusesASigningKeyOthersCanRead_withOneClearLineAndANonZeroExit(@TempDir Path other)
      throws Exception {
    HoldfastServer.start(ServerConfig.builder(other).port(0).build()).close();
    Path key = other.resolve("signing-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    CliRun refused =
        CliRun.raw(
            "server", "--data-dir", other.toString(), "--port", "0", "--probe-enabled", "false");

    assertThat(refused.exit()).isEqualTo(ServerCommand.EXIT_UNSAFE_FILES).isNotZero();
    assertThat(refused.err())
        .startsWith("error: the signing key " + key)
        .contains("chmod 600 " + key)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
