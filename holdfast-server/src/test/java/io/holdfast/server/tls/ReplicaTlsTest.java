package io.holdfast.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.common.tls.Tls;
import io.holdfast.server.config.ConfigException;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the replica's PEM files at start, and taking (or refusing) new ones without a restart.
 */
class ReplicaTlsTest {

  @TempDir static Path pkiDir;

  private static TestPki pki;
  private static TestPki.Issued first;
  private static TestPki.Issued second;

  @TempDir Path dir;

  @BeforeAll
  static void issue() {
    pki = TestPki.create(pkiDir, "replica");
    first = pki.server("first");
    second = pki.server("second");
  }

  private TestPki.Issued installed() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.copy(first.certificate(), cert);
    Files.copy(first.privateKey(), key);
    return new TestPki.Issued(cert, key, first.keyStore());
  }

  @Test
  void start_withAMissingCertificate_failsNamingTheSettingAndFile() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> ReplicaTls.load(TlsSettings.of(missing, first.privateKey(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tls-cert " + missing + " does not exist");
  }

  @Test
  void start_withAKeyThatIsNotTheCertificates_fails() {
    assertThatThrownBy(
            () -> ReplicaTls.load(TlsSettings.of(first.certificate(), second.privateKey(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "tls-key " + second.privateKey() + " is not the private key of the certificate");
  }

  @Test
  void start_withGarbageInsteadOfPem_fails() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    assertThatThrownBy(() -> ReplicaTls.load(TlsSettings.of(garbage, first.privateKey(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-cert " + garbage);
    assertThatThrownBy(
            () -> ReplicaTls.load(TlsSettings.of(first.certificate(), first.privateKey(), garbage)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-client-ca " + garbage);
  }

  @Test
  void settings_needCertificateAndKeyTogether_andClientCaOnlyWithTls() {
    assertThatThrownBy(() -> TlsSettings.of(first.certificate(), null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-cert is set but tls-key is not");
    assertThatThrownBy(() -> TlsSettings.of(null, null, pki.caCertificate()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-client-ca needs TLS");
  }

  @Test
  void plainHttp_hasNoCertificate_andNothingToCheck() {
    ReplicaTls tls = ReplicaTls.load(TlsSettings.NONE);
    assertThat(tls.enabled()).isFalse();
    assertThat(tls.current()).isEmpty();
    assertThat(tls.check()).isFalse();
  }

  @Test
  void check_takesANewCertificate_onlyWhenTheFilesChanged() throws Exception {
    TestPki.Issued files = installed();
    List<Tls> given = new ArrayList<>();
    try (ReplicaTls tls =
        ReplicaTls.load(TlsSettings.of(files.certificate(), files.privateKey(), null))) {
      tls.watch(given::add);
      Tls started = tls.current().orElseThrow();
      assertThat(tls.check()).isFalse();

      second.copyOver(files);

      assertThat(tls.check()).isTrue();
      assertThat(given).hasSize(1);
      assertThat(tls.current()).containsSame(given.get(0)).isNotEqualTo(started);
      assertThat(tls.check()).isFalse();
      assertThat(tls.reloads()).isEqualTo(1);
      assertThat(tls.refusals()).isZero();
    }
  }

  @Test
  void check_keepsTheLoadedCertificate_whenTheNewFilesCannotBeUsed_andReportsEachChangeOnce()
      throws Exception {
    TestPki.Issued files = installed();
    List<Tls> given = new ArrayList<>();
    try (ReplicaTls tls =
        ReplicaTls.load(TlsSettings.of(files.certificate(), files.privateKey(), null))) {
      tls.watch(given::add);
      Tls started = tls.current().orElseThrow();

      // A rotation half done: the new certificate is there, its key not yet.
      Files.copy(
          second.certificate(),
          files.certificate(),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(tls.check()).isFalse();
      assertThat(tls.check()).isFalse();
      assertThat(tls.refusals()).isEqualTo(1);
      // A file gone for a moment is one more change, reported once.
      Files.delete(files.privateKey());
      assertThat(tls.check()).isFalse();
      assertThat(tls.check()).isFalse();
      assertThat(tls.refusals()).isEqualTo(2);
      assertThat(given).isEmpty();
      assertThat(tls.current()).containsSame(started);

      // The rotation completes: taken at the next check.
      Files.copy(second.privateKey(), files.privateKey());
      assertThat(tls.check()).isTrue();
      assertThat(given).hasSize(1);
      assertThat(tls.reloads()).isEqualTo(1);
    }
  }

  @Test
  void check_whenTheListenersFailToTakeIt_keepsTheOldOne_andTriesAgainAtTheNextCheck()
      throws Exception {
    TestPki.Issued files = installed();
    List<Tls> given = new ArrayList<>();
    boolean[] failOnce = {true};
    try (ReplicaTls tls =
        ReplicaTls.load(TlsSettings.of(files.certificate(), files.privateKey(), null))) {
      tls.watch(
          renewed -> {
            if (failOnce[0]) {
              failOnce[0] = false;
              throw new IllegalStateException("listener stopping");
            }
            given.add(renewed);
          });
      Tls started = tls.current().orElseThrow();
      second.copyOver(files);

      assertThatThrownBy(tls::check).hasMessage("listener stopping");
      assertThat(tls.current()).containsSame(started);

      assertThat(tls.check()).as("the same files, taken this time").isTrue();
      assertThat(tls.current()).containsSame(given.get(0));
    }
  }
}
