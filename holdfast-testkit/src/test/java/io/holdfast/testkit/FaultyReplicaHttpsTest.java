package io.holdfast.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FaultyReplica#start(URI, javax.net.ssl.SSLContext)} in front of an https replica whose
 * certificate a private authority issued: forwarded with that authority's trust, faulted as over
 * http, and answered {@code 502} by a proxy that does not trust it.
 */
class FaultyReplicaHttpsTest {

  private static final String PATH = "/v1/instances/acme-prod/config/core";
  private static final byte[] DOCUMENT = "{\"revision\":9}".getBytes(UTF_8);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private TestPki authority;
  private HttpsServer replica;

  @BeforeEach
  void start() throws Exception {
    authority = TestPki.create(dir, "replicas");
    TestPki.Issued certificate = authority.server("replica");
    replica = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    replica.setHttpsConfigurator(new HttpsConfigurator(certificate.clientContext(authority)));
    replica.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.sendResponseHeaders(200, DOCUMENT.length);
            exchange.getResponseBody().write(DOCUMENT);
          }
        });
    replica.start();
  }

  @AfterEach
  void stop() {
    replica.stop(0);
  }

  private URI replicaUri() {
    return URI.create("https://127.0.0.1:" + replica.getAddress().getPort());
  }

  private HttpResponse<byte[]> get(FaultyReplica proxy) throws Exception {
    return client.send(
        HttpRequest.newBuilder(proxy.uri().resolve(PATH)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void httpsUpstream_trustedThroughItsAuthority_isForwarded_andFaultsApplyAsOverHttp()
      throws Exception {
    try (FaultyReplica proxy = FaultyReplica.start(replicaUri(), authority.trustingContext())) {
      assertThat(proxy.uri().getScheme()).isEqualTo("http");
      HttpResponse<byte[]> forwarded = get(proxy);
      assertThat(forwarded.statusCode()).isEqualTo(200);
      assertThat(forwarded.body()).isEqualTo(DOCUMENT);

      proxy.fault("/config/", Fault.status(503));
      assertThat(get(proxy).statusCode()).isEqualTo(503);

      proxy.clear();
      assertThat(get(proxy).body()).isEqualTo(DOCUMENT);
    }
  }

  @Test
  void httpsUpstream_withoutItsAuthority_isAnswered502() throws Exception {
    try (FaultyReplica proxy = FaultyReplica.start(replicaUri())) {
      assertThat(get(proxy).statusCode()).isEqualTo(502);
    }
  }
}
