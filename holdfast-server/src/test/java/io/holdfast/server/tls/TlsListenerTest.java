package io.holdfast.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.config.EdgeSettings;
import io.holdfast.server.config.TlsSettings;
import io.holdfast.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real replica speaking TLS on both of its ports: the certificate it presents, the protocols and
 * suites it accepts, HTTP/1.0 over TLS, a certificate renewed on disk, and client certificates.
 */
class TlsListenerTest {

  @TempDir static Path pkiDir;

  private static TestPki pki;
  private static TestPki clients;
  private static TestPki strangers;
  private static TestPki.Issued first;
  private static TestPki.Issued second;

  @TempDir Path dataDir;

  private ServerFixture server;

  @BeforeAll
  static void issue() {
    pki = TestPki.create(pkiDir, "replica");
    clients = TestPki.create(pkiDir, "clients");
    strangers = TestPki.create(pkiDir, "strangers");
    first = pki.server("first");
    second = pki.server("second");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(TestPki.Issued files, Path clientCa) {
    TlsSettings tls =
        new TlsSettings(files.certificate(), files.privateKey(), clientCa, Duration.ofMillis(100));
    server = ServerFixture.startConfigured(dataDir, config -> config.tls(tls));
  }

  @Test
  void bothPorts_speakTls_withTheConfiguredCertificate_andPlainHttpGetsNothing() throws Exception {
    start(first, null);

    assertThat(
            get(
                pki.trustingContext(),
                "https://127.0.0.1:" + server.server().port() + "/health/live"))
        .isEqualTo(200);
    assertThat(
            get(
                pki.trustingContext(),
                "https://127.0.0.1:" + server.server().managementPort() + "/metrics"))
        .isEqualTo(200);
    assertThat(presented(server.server().port())).isEqualTo("CN=first");
    assertThatThrownBy(
            () -> get(null, "http://127.0.0.1:" + server.server().port() + "/health/live"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void onlyForwardSecretAeadSuites_areNegotiated() throws Exception {
    start(first, null);

    try (SSLSocket cbc = socket(pki.trustingContext(), server.server().port())) {
      cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
      cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
      assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
    try (SSLSocket tls12 = socket(pki.trustingContext(), server.server().port())) {
      tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
      tls12.startHandshake();
      assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(tls12.getSession().getCipherSuite())
          .startsWith("TLS_ECDHE_")
          .containsAnyOf("_GCM_", "CHACHA20");
    }
    try (SSLSocket tls13 = socket(pki.trustingContext(), server.server().port())) {
      tls13.startHandshake();
      assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  /**
   * ALPN picks the connection selector by name: HTTP/1.1 must still be the edge's request-line
   * selector.
   */
  @Test
  void http10_overTls_isAnswered_withAndWithoutAlpn() throws Exception {
    start(first, null);

    for (String[] alpn : new String[][] {{"h2", "http/1.1"}, {}}) {
      try (SSLSocket socket = socket(pki.trustingContext(), server.server().port())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertThat(socket.getApplicationProtocol()).isEqualTo(alpn.length == 0 ? "" : "http/1.1");
        // Helidon's own HTTP/1.1 connection closes an HTTP/1.0 request unanswered (FAULTS F4).
        socket
            .getOutputStream()
            .write(
                "GET /health/live HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String answer = readAll(socket.getInputStream());
        assertThat(answer).matches("(?s)HTTP/1\\.[01] 200 .*");
      }
    }
  }

  @Test
  void aCertificateRenewedOnDisk_isPresentedOnBothPorts_withoutARestart() throws Exception {
    Path cert = Files.copy(first.certificate(), dataDir.resolve("tls.crt"));
    Path key = Files.copy(first.privateKey(), dataDir.resolve("tls.key"));
    start(new TestPki.Issued(cert, key, first.keyStore()), null);
    int port = server.server().port();
    assertThat(presented(port)).isEqualTo("CN=first");

    second.copyOver(new TestPki.Issued(cert, key, first.keyStore()));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> presented(port).equals("CN=second"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> presented(server.server().managementPort()).equals("CN=second"));
    assertThat(server.server().port()).isEqualTo(port);
    assertThat(get(pki.trustingContext(), "https://127.0.0.1:" + port + "/health/live"))
        .isEqualTo(200);
  }

  @Test
  void withAClientCa_aClientMustPresentACertificateItSigned() throws Exception {
    start(first, clients.caCertificate());
    String health = "https://127.0.0.1:" + server.server().port() + "/health/live";

    assertThat(
            get(clients.issue("instance", "dns:acme-prod", "-1d", 30).clientContext(pki), health))
        .isEqualTo(200);
    assertThatThrownBy(() -> get(pki.trustingContext(), health)).isInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                get(
                    strangers.issue("intruder", "dns:acme-prod", "-1d", 30).clientContext(pki),
                    health))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                get(
                    pki.trustingContext(),
                    "https://127.0.0.1:" + server.server().managementPort() + "/health/live"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientCaBundleRenewedOnDisk_isTakenWithoutARestart() throws Exception {
    Path bundle = Files.copy(clients.caCertificate(), dataDir.resolve("clients.pem"));
    start(first, bundle);
    String health = "https://127.0.0.1:" + server.server().port() + "/health/live";
    SSLContext partner = strangers.issue("partner", "dns:acme-prod", "-1d", 30).clientContext(pki);
    assertThatThrownBy(() -> get(partner, health)).isInstanceOf(IOException.class);

    Files.copy(
        strangers.caCertificate(), bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> get(partner, health) == 200);
  }

  /**
   * The edge's header deadline runs from accept, so a handshake that never comes is bounded by it
   * too.
   */
  @Test
  void F2_tlsConnectionsThatNeverHandshake_orNeverSendARequest_areClosedAtTheHeaderTimeout()
      throws Exception {
    EdgeSettings edge = EdgeSettings.DEFAULTS;
    EdgeSettings quick =
        new EdgeSettings(
            edge.idleTimeout(),
            Duration.ofMillis(500),
            edge.requestTimeout(),
            edge.maxConnections(),
            edge.maxConnectionsPerAddress(),
            edge.maxWatchesPerInstance(),
            edge.maxRequestsPerInstance(),
            edge.maxAdminRequests());
    server =
        ServerFixture.startConfigured(
            dataDir,
            config ->
                config
                    .edge(quick)
                    .tls(TlsSettings.of(first.certificate(), first.privateKey(), null)));
    int port = server.server().port();

    try (java.net.Socket silent = new java.net.Socket("127.0.0.1", port)) {
      silent.setSoTimeout(10_000);
      long started = System.nanoTime();
      assertThat(silent.getInputStream().read())
          .as("closed by the replica, no byte sent")
          .isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
    try (SSLSocket handshaken = socket(pki.trustingContext(), port)) {
      handshaken.startHandshake();
      long started = System.nanoTime();
      assertThat(handshaken.getInputStream().read())
          .as("closed by the replica, no request sent")
          .isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  private static int get(SSLContext context, String uri) throws IOException, InterruptedException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (context != null) {
      builder.sslContext(context);
    }
    try (HttpClient http = builder.build()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  /** The subject of the certificate a new connection to {@code port} is shown. */
  private static String presented(int port) throws IOException {
    try (SSLSocket socket = socket(pki.trustingContext(), port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  private static SSLSocket socket(SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
