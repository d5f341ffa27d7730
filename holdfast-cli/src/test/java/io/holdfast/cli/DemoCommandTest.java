package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.tls.CaBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast demo} started as its command line asks, plain and with {@code --tls}. */
class DemoCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void demoWithTls_servesBothReplicasOverTls_trustedThroughItsCaPem_andTheCaKeyIsGone()
      throws Exception {
    Path dataDir = dir.resolve("holdfast-demo");

    try (DemoCommand.Running demo = demo("--tls", "--data-dir", dataDir.toString())) {
      assertThat(demo.authority()).isEqualTo(dataDir.toAbsolutePath().resolve("ca.pem"));
      // The simulated fleet reads over TLS too, trusting the same CA.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> demo.fleet().view().allFresh());
      assertThat(Files.readString(demo.authority()))
          .contains("BEGIN CERTIFICATE")
          .doesNotContain("PRIVATE KEY");
      SSLContext trustingTheCa = CaBundle.sslContext(demo.authority());
      String token =
          JSON.readTree(demo.credentials().toFile()).path("instances").path("acme-prod").asText();

      for (URI replica : new URI[] {demo.a(), demo.b()}) {
        assertThat(replica.getScheme()).isEqualTo("https");
        // Replica B learns the demo's credentials from the shared store within its refresh
        // interval.
        HttpResponse<String> document =
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(
                    () ->
                        get(
                            trustingTheCa,
                            replica.resolve("/v1/instances/acme-prod/config/core"),
                            token),
                    response -> response.statusCode() == 200);
        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
        assertThat(document.headers().firstValue("ETag")).isPresent();
        // Without the demo's CA the certificate is refused: it is not one the JDK trusts.
        assertThatThrownBy(
                () -> get(SSLContext.getDefault(), replica.resolve("/health/ready"), null))
            .isInstanceOf(SSLHandshakeException.class);
      }
      HttpResponse<String> health =
          get(trustingTheCa, demo.managementA().resolve("/health/ready"), null);
      assertThat(health.statusCode()).isEqualTo(200);

      // The CLI as the printed tour runs it, with --cacert.
      JsonNode saved = JSON.readTree(demo.credentials().toFile());
      CliRun listed =
          CliRun.raw(
              "instance",
              "list",
              "--server",
              demo.b().toString(),
              "--token",
              saved.path("adminToken").asText(),
              "--cacert",
              demo.authority().toString());
      assertThat(listed.exit()).as(listed.err()).isZero();
      assertThat(listed.out()).contains("acme-prod");

      StringWriter tour = new StringWriter();
      DemoCommand.printTlsTour(new PrintWriter(tour), demo, "hf1-key");
      assertThat(tour.toString())
          .contains("export HOLDFAST_CACERT=" + demo.authority())
          .contains(
              "curl -si --cacert \"$HOLDFAST_CACERT\" -H \"Authorization: Bearer $TOKEN\" "
                  + demo.a()
                  + "/v1/instances/acme-prod/config/core")
          .doesNotContain("http://");
    }
    // Only the authority's certificate is left: no key store holding its private key.
    try (Stream<Path> files = Files.walk(dataDir)) {
      assertThat(files.map(Path::toString))
          .noneMatch(name -> name.endsWith(".p12") || name.endsWith(".csr"));
    }
  }

  @Test
  void plainDemo_staysPlainHttp_withoutACa() throws Exception {
    Path dataDir = dir.resolve("plain-demo");

    try (DemoCommand.Running demo = demo("--data-dir", dataDir.toString())) {
      assertThat(demo.a().getScheme()).isEqualTo("http");
      assertThat(demo.authority()).isNull();
      HttpResponse<String> health =
          get(SSLContext.getDefault(), demo.a().resolve("/health/ready"), null);
      assertThat(health.statusCode()).isEqualTo(200);
    }
    assertThat(dataDir.resolve("ca.pem")).doesNotExist();
  }

  @Test
  void demoWhoseSecondPortIsTaken_exitsWithOneErrorLine_andLeavesTheDataDirectoryFree()
      throws Exception {
    Path dataDir = dir.resolve("taken-demo");

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun run =
          CliRun.raw(
              "demo",
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--second-port",
              Integer.toString(taken.getLocalPort()),
              "--data-dir",
              dataDir.toString());

      assertThat(run.exit()).as(run.err()).isEqualTo(ServerCommand.EXIT_START_FAILED);
      assertThat(run.err().lines().filter(line -> line.startsWith("error: ")).toList())
          .singleElement()
          .asString()
          .contains(Integer.toString(taken.getLocalPort()));
      assertThat(run.err()).doesNotContain("\tat ");
    }
    // The first replica was stopped with the failed start: the same data directory starts again.
    try (DemoCommand.Running demo = demo("--data-dir", dataDir.toString())) {
      assertThat(get(SSLContext.getDefault(), demo.a().resolve("/health/ready"), null).statusCode())
          .isEqualTo(200);
    }
  }

  /** Starts the demo as {@code holdfast demo ARGS} would, on free ports. */
  private static DemoCommand.Running demo(String... args) throws IOException {
    return DemoRun.onFreePorts(args);
  }

  private static HttpResponse<String> get(SSLContext tls, URI uri, String token) throws Exception {
    try (HttpClient http =
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
