package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast keys publish} and {@code holdfast keys status} against a real replica: what they
 * print, and their exit codes when the replica refuses or cannot be reached.
 */
class KeysPublishStatusCommandTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir Path dataDir;
  @TempDir Path files;

  private HoldfastServer server;
  private final KeyPair root = pair();
  private final KeyPair other = pair();

  @BeforeEach
  void start() {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMinutes(10)).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String replica() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A key set file listing {@code listed} and revoking {@code revoked}, signed by the root. */
  private Path keySetFile(long version, VerificationKey listed, SortedSet<String> revoked)
      throws IOException {
    KeySet keySet =
        new KeySet(
            version,
            NOW.minus(Duration.ofHours(1)),
            NOW.plus(Duration.ofDays(1)),
            List.of(
                new KeySet.SigningKey(
                    listed, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)))),
            revoked,
            RootKeys.of(1, VerificationKey.of(root.getPublic())),
            Optional.empty());
    Path file = files.resolve("keyset-" + version + "-" + listed.keyId() + ".json");
    Files.write(file, new KeySetSigner(List.of(root)).sign(keySet).toBytes());
    return file;
  }

  @Test
  void publish_printsTheVersion_andStatusShowsWhatTheReplicaServesAndSignsWith()
      throws IOException {
    String own = server.verificationKey().keyId();
    String rootId = VerificationKey.of(root.getPublic()).keyId();
    String revokedId = VerificationKey.of(other.getPublic()).keyId();
    Path v1 = keySetFile(1, server.verificationKey(), new TreeSet<>(List.of(revokedId)));

    CliRun published = CliRun.against(server, "keys", "publish", v1.toString());
    assertThat(published.exit()).as(published.err()).isZero();
    assertThat(published.out()).isEqualTo("published key set version 1" + System.lineSeparator());

    CliRun again = CliRun.against(server, "keys", "publish", v1.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("key set version 1 was published already; nothing changed");

    CliRun status = CliRun.raw("keys", "status", "--replica", replica());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("replica " + replica())
        .contains("version        1")
        .contains("expires        " + NOW.plus(Duration.ofDays(1)))
        .contains("root           1 of " + rootId)
        .contains("signing key    " + own + " valid ")
        .contains("revoked        " + revokedId)
        .contains("signs with     " + own + " (listed, valid now)");
  }

  @Test
  void status_saysWhenTheReplicasOwnKeyIsRevoked_orNothingIsPublished() throws IOException {
    String own = server.verificationKey().keyId();
    CliRun before = CliRun.raw("keys", "status", "--replica", replica());
    assertThat(before.exit()).as(before.err()).isZero();
    assertThat(before.out())
        .contains("key set        none published")
        .contains("signs with     " + own + System.lineSeparator());

    Path revoking =
        keySetFile(1, VerificationKey.of(other.getPublic()), new TreeSet<>(List.of(own)));
    assertThat(CliRun.against(server, "keys", "publish", revoking.toString()).exit()).isZero();

    CliRun after = CliRun.raw("keys", "status", "--replica", replica());
    assertThat(after.out())
        .contains("signs with     " + own + " (REVOKED: clients that pin the root refuse");
  }

  @Test
  void aRefusedPublish_printsTheReplicasReason_exits1_andChangesNothing() throws IOException {
    assertThat(
            CliRun.against(
                    server,
                    "keys",
                    "publish",
                    keySetFile(2, server.verificationKey(), new TreeSet<>()).toString())
                .exit())
        .isZero();

    CliRun older =
        CliRun.against(
            server,
            "keys",
            "publish",
            keySetFile(1, server.verificationKey(), new TreeSet<>()).toString());
    assertThat(older.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(older.out()).isEmpty();
    assertThat(older.err())
        .contains("key set version 1 is older than the newest published version 2")
        .contains("(409)");

    Path garbage = files.resolve("garbage.json");
    Files.writeString(garbage, "{\"signed\":");
    CliRun malformed = CliRun.against(server, "keys", "publish", garbage.toString());
    assertThat(malformed.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(malformed.err()).contains("(400)");

    CliRun missing =
        CliRun.against(server, "keys", "publish", files.resolve("absent.json").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read");

    assertThat(CliRun.raw("keys", "status", "--replica", replica()).out())
        .contains("version        2");
  }

  @Test
  void status_reportsEveryReplica_andExits3WhenOneCannotBeReached() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closedPort;

    CliRun status = CliRun.raw("keys", "status", "--replica", down, "--replica", replica());

    assertThat(status.exit()).isEqualTo(HoldfastCommand.EXIT_UNREACHABLE);
    assertThat(status.out())
        .contains("replica " + down + System.lineSeparator() + "  error")
        .contains("replica " + replica())
        .contains("signs with     " + server.verificationKey().keyId());
    assertThat(status.err()).contains("cannot read " + down);
  }

  private static KeyPair pair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
