package io.holdfast.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Taking a new signing key from disk without a restart, and keeping the old one when the new file
 * cannot be used (half written, world-readable, not Ed25519, halves that do not belong together).
 * Checks are run by hand, never by the timer.
 */
class ReplicaSigningKeyTest {

  @TempDir Path dir;

  private final ManualTime time = new ManualTime();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicInteger changes = new AtomicInteger();
  private Logger captured;
  private Level capturedLevel;
  private Path file;
  private ReplicaSigningKey key;
  private String firstKeyId;

  @BeforeEach
  void start() {
    captured = (Logger) LoggerFactory.getLogger("holdfast.signing");
    capturedLevel = captured.getLevel();
    captured.setLevel(Level.INFO);
    lines.start();
    captured.addAppender(lines);
    file = dir.resolve("signing-key.pem");
    key = ReplicaSigningKey.load(file, time.clock());
    key.watch(java.time.Duration.ZERO, changes::incrementAndGet);
    firstKeyId = key.current().verificationKey().keyId();
  }

  @AfterEach
  void stop() {
    key.close();
    captured.detachAppender(lines);
    captured.setLevel(capturedLevel);
  }

  private List<String> warnings() {
    return lines.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " | " + e.getThrowableProxy().getMessage()))
        .toList();
  }

  @Test
  void unchangedFile_isNotReloaded() {
    assertThat(key.check()).isFalse();
    assertThat(key.reloads()).isZero();
    assertThat(changes).hasValue(0);
  }

  @Test
  void newKey_isTaken_andSignsFromThen() throws Exception {
    KeyPair next = KeyFiles.newPair("Ed25519");
    KeyFiles.write(file, KeyFiles.pem(next), "rw-------");

    assertThat(key.check()).isTrue();

    VerificationKey expected = VerificationKey.of(next.getPublic());
    DocumentSigner signer = key.current();
    assertThat(signer.verificationKey().keyId())
        .isEqualTo(expected.keyId())
        .isNotEqualTo(firstKeyId);
    byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(expected.verifies(body, signer.sign(body))).isTrue();
    assertThat(key.reloads()).isEqualTo(1);
    assertThat(changes).hasValue(1);
    assertThat(lines.list)
        .anyMatch(
            e ->
                e.getLevel() == Level.INFO
                    && e.getFormattedMessage().contains("now signing with key " + expected.keyId())
                    && e.getFormattedMessage().contains("was " + firstKeyId));
    assertThat(key.check()).as("the same file again").isFalse();
  }

  @Test
  void halfWrittenFile_keepsTheOldKey_andIsTakenOnceWhole() throws Exception {
    String whole = KeyFiles.pem(KeyFiles.newPair("Ed25519"));
    // An operator's non-atomic write, caught in the middle of the public block, then of the
    // private one.
    KeyFiles.write(file, whole.substring(0, whole.length() - 40), "rw-------");
    assertThat(key.check()).isFalse();
    KeyFiles.write(file, whole.substring(0, 60), "rw-------");
    assertThat(key.check()).isFalse();
    assertThat(key.current().verificationKey().keyId()).isEqualTo(firstKeyId);
    assertThat(key.refusals()).isEqualTo(2);
    assertThat(key.refusing()).isTrue();
    assertThat(changes).hasValue(0);
    // One line for the streak, not one per check.
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0))
        .contains("reloading the changed signing key " + file)
        .contains("still signing with key " + firstKeyId);

    KeyFiles.write(file, whole, "rw-------");
    assertThat(key.check()).isTrue();
    assertThat(key.current().verificationKey().keyId()).isNotEqualTo(firstKeyId);
    assertThat(key.refusing()).isFalse();
    assertThat(lines.list)
        .anyMatch(
            e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("works again"));
  }

  @Test
  void worldReadableFile_keepsTheOldKey_untilItsModeIsFixed() throws Exception {
    KeyFiles.write(file, KeyFiles.pem(KeyFiles.newPair("Ed25519")), "rw-r--r--");
    assertThat(key.check()).isFalse();
    assertThat(key.current().verificationKey().keyId()).isEqualTo(firstKeyId);
    assertThat(warnings()).singleElement().asString().contains("reloading the changed signing key");

    KeyFiles.write(file, java.nio.file.Files.readString(file), "rw-------");
    assertThat(key.check()).isTrue();
    assertThat(key.current().verificationKey().keyId()).isNotEqualTo(firstKeyId);
  }

  @Test
  void keyOfAnotherType_keepsTheOldKey() throws Exception {
    KeyFiles.write(file, KeyFiles.pem(KeyFiles.newPair("EC")), "rw-------");
    assertThat(key.check()).isFalse();
    KeyFiles.write(file, "not a key at all\n", "rw-------");
    assertThat(key.check()).isFalse();
    assertThat(key.current().verificationKey().keyId()).isEqualTo(firstKeyId);
    assertThat(key.refusals()).isEqualTo(2);
  }

  @Test
  void publicBlockOfAnotherKey_keepsTheOldKey() throws Exception {
    KeyPair one = KeyFiles.newPair("Ed25519");
    KeyPair other = KeyFiles.newPair("Ed25519");
    KeyFiles.write(
        file, KeyFiles.pem(new KeyPair(other.getPublic(), one.getPrivate())), "rw-------");
    assertThat(key.check()).isFalse();
    assertThat(key.current().verificationKey().keyId()).isEqualTo(firstKeyId);
    assertThat(warnings()).singleElement().asString().contains("not the public half");
  }

  @Test
  void missingFile_keepsTheOldKey() throws Exception {
    java.nio.file.Files.delete(file);
    assertThat(key.check()).isFalse();
    assertThat(key.current().verificationKey().keyId()).isEqualTo(firstKeyId);
    assertThat(key.refusing()).isTrue();
  }
}
