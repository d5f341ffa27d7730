package io.holdfast.it.faults;

import static io.holdfast.it.faults.FaultFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.tls.TestCertificates;
import io.holdfast.it.tls.TlsFront;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FAULTS.md A24: replica A is reached over https through a TLS front whose certificate is wrong;
 * replica B over plain http. A broken certificate must count as a failed replica, never as a reason
 * to skip verification or fall back to plain HTTP.
 */
class TlsFaultsTest extends FaultScenarios {

  /** Ways replica A's certificate is wrong. */
  enum BadCertificate {
    UNKNOWN_AUTHORITY,
    EXPIRED,
    WRONG_NAME
  }

  private static TestCertificates certificates;
  private static SSLContext clientTrust;
  private static Map<BadCertificate, SSLContext> bad;
  private static SSLContext good;
  private TlsFront front;

  @BeforeAll
  static void makeCertificates() throws IOException {
    certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
    clientTrust = certificates.trustingThisAuthority();
    good = certificates.server("good", "ip:127.0.0.1", "-1d", 10);
    bad =
        Map.of(
            BadCertificate.UNKNOWN_AUTHORITY,
                certificates.selfSigned("self-signed", "ip:127.0.0.1"),
            BadCertificate.EXPIRED, certificates.server("expired", "ip:127.0.0.1", "-10d", 1),
            BadCertificate.WRONG_NAME,
                certificates.server("wrong-name", "dns:replica.invalid", "-1d", 10));
  }

  @AfterEach
  void closeFront() {
    if (front != null) {
      front.close();
    }
  }

  /** Replica A through the TLS front, then B; trusting the test authority. */
  private HoldfastClient.Builder builder(String id) {
    return fx.builder(
            List.of(front.uri(), fx.proxyB().uri()), id, new ManualTime(), FaultFixture.NAMESPACE)
        .sslContext(clientTrust);
  }

  @Test
  void A24_control_aGoodCertificateFromTheTrustedAuthority_servesOverTls() {
    String id = "a24-good";
    long r1 = fx.instance(id, doc(1));
    front = TlsFront.start(good, fx.proxyA().uri());
    fx.proxyB().fault(Fault.refuseConnections());
    HoldfastClient client = fx.build(builder(id));
    Probe probe = Probe.on(client);
    client.start();

    assertThat(probe.status()).isEqualTo(Status.FRESH);
    assertThat(probe.revision()).isEqualTo(r1);
    assertThat(front.handshakes()).isPositive();
    assertThat(front.failures()).isEmpty();
    probe.assertHeld();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BadCertificate.class)
  void A24_badCertificateOnReplicaA_treatedAsAFailedReplica_neverPlainHttp(
      BadCertificate certificate) {
    String id = "a24-" + certificate.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    long r1 = fx.instance(id, doc(1));
    front = TlsFront.start(bad.get(certificate), fx.proxyA().uri());
    HoldfastClient client = fx.build(builder(id));
    Probe probe = Probe.on(client);
    client.start();

    assertThat(probe.status()).as("failed over to replica B").isEqualTo(Status.FRESH);
    assertThat(probe.revision()).isEqualTo(r1);
    assertThat(front.handshakes()).as("no connection to A got past the certificate check").isZero();
    assertThat(front.failures()).as("the client did try TLS").isNotEmpty();
    assertThat(front.failures())
        .as("and never spoke plain HTTP to A's port")
        .noneMatch(f -> f.contains("plaintext") || f.contains("nrecognized"));

    // With B gone too, the TLS failure is the reason given, and the LKG is kept.
    fx.proxyB().fault(Fault.status(503));
    eventually().until(() -> probe.status() == Status.STALE);
    assertThat(probe.read().freshness().reason())
        .contains(front.uri().getAuthority())
        .containsIgnoringCase("SSL");
    assertThat(probe.revision()).isEqualTo(r1);
    assertThat(front.handshakes()).isZero();
    probe.assertHeld();
  }
}
