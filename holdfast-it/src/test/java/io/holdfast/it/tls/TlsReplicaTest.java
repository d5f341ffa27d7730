package io.holdfast.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.testkit.ManualTime;
import io.holdfast.testkit.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SDK against a replica that speaks TLS itself (tls-cert, tls-key), trusting the test authority
 * through {@code Builder.trustedCertificates}: a good chain serves; an unknown authority, an
 * expired certificate and a wrong name fail verification while the client keeps its last-known-good
 * copy; a certificate renewed on disk is taken without a restart while a client stays FRESH.
 */
class TlsReplicaTest {

  private static final String NAMESPACE = "core";

  /** Ways the replica's certificate can be wrong. */
  enum BadCertificate {
    UNKNOWN_AUTHORITY,
    EXPIRED,
    WRONG_NAME
  }

  @TempDir static Path pkiDir;

  private static TestPki pki;
  private static TestPki.Issued good;
  private static TestPki.Issued renewed;
  private static Map<BadCertificate, TestPki.Issued> bad;

  @TempDir Path dir;

  private Path certificate;
  private Path privateKey;
  private HoldfastServer server;
  private AdminHttp http;
  private AdminApi admin;

  @BeforeAll
  static void issue() {
    pki = TestPki.create(pkiDir, "replica");
    good = pki.server("good");
    renewed = pki.server("renewed");
    bad =
        Map.of(
            BadCertificate.UNKNOWN_AUTHORITY, TestPki.create(pkiDir, "stranger").server("stranger"),
            BadCertificate.EXPIRED, pki.issue("expired", "ip:127.0.0.1,dns:localhost", "-40d", 10),
            BadCertificate.WRONG_NAME, pki.issue("wrong-name", "dns:replica.invalid", "-1d", 30));
  }

  @BeforeEach
  void start() throws Exception {
    certificate = Files.copy(good.certificate(), dir.resolve("tls.crt"));
    privateKey = Files.copy(good.privateKey(), dir.resolve("tls.key"));
    server =
        HoldfastServer.start(
            ServerConfig.builder(dir.resolve("data"))
                .port(0)
                .refreshInterval(Duration.ofMillis(50))
                .tls(new TlsSettings(certificate, privateKey, null, Duration.ofMillis(100)))
                .build());
    http = new AdminHttp(pki.trustingContext());
    admin = new AdminApi(http, server.port(), server.adminToken());
    admin.createNamespace(NAMESPACE);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  }

  private String instance(String id) {
    return admin.createInstance(id, "live");
  }

  private long publish(String id, int value) {
    long revision = admin.publishLayer(NAMESPACE, "instance:" + id, "{\"value\":" + value + "}");
    eventually().until(() -> server.snapshots().current().revision() >= revision);
    return revision;
  }

  private HoldfastClient client(String id, String credential, Path cache) {
    ManualTime time = new ManualTime();
    return HoldfastClient.builder()
        .replicas(URI.create("https://127.0.0.1:" + server.port()))
        .trustedCertificates(pki.caCertificate())
        .instance(id, credential)
        .trustedKey(server.verificationKey())
        .namespaces(NAMESPACE)
        .cacheDirectory(cache)
        .ticker(time.ticker())
        .clock(time.clock())
        .requestTimeout(Duration.ofSeconds(2))
        .watchTimeout(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(100))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .startupTimeout(Duration.ofSeconds(5))
        .heartbeatInterval(Duration.ZERO)
        .build();
  }

  /**
   * Replaces the replica's files, as a renewal writes them in place, and waits until the replica
   * presents them.
   */
  private void install(TestPki.Issued files, String subject) {
    files.copyOver(new TestPki.Issued(certificate, privateKey, files.keyStore()));
    eventually().until(() -> presented().equals(subject));
  }

  /**
   * The subject a new TLS connection to the replica is shown, trusting anything: this looks, it
   * does not verify.
   */
  private String presented() throws Exception {
    javax.net.ssl.SSLContext lookOnly = javax.net.ssl.SSLContext.getInstance("TLS");
    lookOnly.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(
                java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            lookOnly.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  @Test
  void aGoodChain_servesTheSdk_overTlsFromTheReplicaItself() {
    String credential = instance("tls-good");
    long r1 = publish("tls-good", 1);

    try (HoldfastClient client = client("tls-good", credential, dir.resolve("cache"))) {
      client.start();

      assertThat(client.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
      assertThat(client.snapshot(NAMESPACE).revision()).isEqualTo(r1);
      assertThat(client.snapshot(NAMESPACE).getInt("value", 0)).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BadCertificate.class)
  void aBadCertificate_failsVerification_andTheSdkKeepsItsLastKnownGoodCopy(BadCertificate kind) {
    String id = "tls-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String credential = instance(id);
    long r1 = publish(id, 1);
    Path cache = dir.resolve("cache");
    try (HoldfastClient first = client(id, credential, cache)) {
      first.start();
      assertThat(first.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
    }

    install(
        bad.get(kind),
        "CN="
            + kind.name()
                .toLowerCase(Locale.ROOT)
                .replace("unknown_authority", "stranger")
                .replace('_', '-'));
    publish(id, 2);

    try (HoldfastClient client = client(id, credential, cache)) {
      client.start();
      eventually().until(() -> client.status(NAMESPACE).status() == Status.STALE);
      assertThat(client.snapshot(NAMESPACE).revision())
          .as("the last-known-good copy, not the newer one")
          .isEqualTo(r1);
      assertThat(client.snapshot(NAMESPACE).getInt("value", 0)).isEqualTo(1);
      assertThat(client.status(NAMESPACE).reason()).containsIgnoringCase("SSL");

      // Once the replica presents a good certificate again, the client takes the newer copy.
      install(renewed, "CN=renewed");
      eventually().until(() -> client.status(NAMESPACE).status() == Status.FRESH);
      assertThat(client.snapshot(NAMESPACE).getInt("value", 0)).isEqualTo(2);
    }
  }

  @Test
  void aCertificateRenewedOnDisk_isTakenWithoutARestart_whileTheSdkStaysFresh() {
    String credential = instance("tls-renewal");
    publish("tls-renewal", 1);
    int port = server.port();
    try (HoldfastClient client = client("tls-renewal", credential, dir.resolve("cache"))) {
      client.start();
      assertThat(client.status(NAMESPACE).status()).isEqualTo(Status.FRESH);

      install(renewed, "CN=renewed");

      assertThat(client.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
      long r2 = publish("tls-renewal", 2);
      eventually().until(() -> client.snapshot(NAMESPACE).revision() == r2);
      assertThat(client.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
      assertThat(server.port()).as("the same listener, not a restart").isEqualTo(port);
    }
    // A client that connects only now is shown the renewed certificate, and trusts it.
    try (HoldfastClient late = client("tls-renewal", credential, dir.resolve("late-cache"))) {
      late.start();
      assertThat(late.status(NAMESPACE).status()).isEqualTo(Status.FRESH);
      assertThat(late.snapshot(NAMESPACE).getInt("value", 0)).isEqualTo(2);
    }
  }
}
