package io.holdfast.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultyReplicaTest {

  private static final String PATH = "/v1/instances/acme-prod/config/core";
  private static final String CHECKSUMS = "/v1/instances/acme-prod/checksums";
  private static final String V9 = document(9, 25);
  private static final String V10 = document(10, 30);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private Upstream upstream;
  private FaultyReplica replica;

  @BeforeEach
  void start() throws IOException {
    upstream = new Upstream(V9);
    replica = FaultyReplica.start(upstream.uri());
  }

  @AfterEach
  void stop() {
    replica.close();
    upstream.close();
  }

  // --- pass-through -----------------------------------------------------------------------------

  @Test
  void withoutFaults_answersAreByteIdenticalWithTheSameHeaders() throws Exception {
    HttpResponse<byte[]> direct = send(upstream.uri(), request(PATH));
    HttpResponse<byte[]> proxied = get(PATH);

    assertThat(proxied.statusCode()).isEqualTo(200);
    assertThat(proxied.body()).isEqualTo(direct.body()).isEqualTo(V9.getBytes(UTF_8));
    assertThat(endToEndHeaders(proxied)).isEqualTo(endToEndHeaders(direct));
    assertThat(proxied.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
    assertThat(proxied.headers().firstValue("Repr-Digest")).isPresent();
    assertThat(proxied.headers().firstValue("Connection")).contains("close");
  }

  @Test
  void withoutFaults_forwardsMethodTargetHeadersAndBody() throws Exception {
    HttpRequest post =
        request("/v1/admin/namespaces?dryRun=true")
            .header("Authorization", "Bearer hfa_test")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"core\"}"))
            .build();

    assertThat(client.send(post, HttpResponse.BodyHandlers.ofByteArray()).statusCode())
        .isEqualTo(200);

    Upstream.Seen seen = upstream.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.target()).isEqualTo("/v1/admin/namespaces?dryRun=true");
    assertThat(seen.headers().get("Authorization")).containsExactly("Bearer hfa_test");
    assertThat(seen.body()).isEqualTo("{\"name\":\"core\"}".getBytes(UTF_8));
  }

  @Test
  void conditionalRequests_passThroughAs304() throws Exception {
    HttpResponse<byte[]> response = get(PATH, "If-None-Match", Upstream.etagOf(V9));

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
  }

  @Test
  void head_keepsTheReplicasContentLengthWithoutABody() throws Exception {
    HttpRequest head = request(PATH).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();

    HttpResponse<byte[]> response = client.send(head, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length"))
        .contains(Integer.toString(V9.length()));
    assertThat(response.body()).isEmpty();
    assertThat(upstream.last().method()).isEqualTo("HEAD");
  }

  @Test
  void malformedRequest_isAnswered400WithoutContactingTheReplica() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", replica.uri().getPort())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(US_ASCII));

      InputStream in = socket.getInputStream();
      assertThat(readHead(in)).startsWith("HTTP/1.1 400 ");
      assertThat(new String(in.readAllBytes(), UTF_8)).contains("\"status\":400");
    }
    assertThat(upstream.hits()).isZero();
    assertThat(replica.requests()).isZero();
  }

  @Test
  void unreachableReplica_isAnswered502() throws Exception {
    upstream.close();

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  // --- connection-level faults -------------------------------------------------------------------

  @Test
  void refuseConnections_thenClear_servesAgainOnTheSamePort() throws Exception {
    URI before = replica.uri();
    replica.fault(Fault.refuseConnections());

    assertThatThrownBy(() -> get(PATH)).isInstanceOf(ConnectException.class);
    assertThat(replica.requests()).isZero();

    replica.clear();

    assertThat(replica.uri()).isEqualTo(before);
    assertThat(get(PATH).body()).isEqualTo(V9.getBytes(UTF_8));
  }

  @Test
  void refuseConnections_isLiftedByALaterRuleForEveryPath() throws Exception {
    replica.fault(Fault.refuseConnections());
    replica.fault(Fault.status(500));

    assertThat(get(PATH).statusCode()).isEqualTo(500);
  }

  @Test
  void refuseConnections_cannotBeScopedToAPath() {
    assertThatThrownBy(() -> replica.fault(CHECKSUMS, Fault.refuseConnections()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blackhole_makesAClientWithARequestTimeoutTimeOut() throws Exception {
    replica.fault(Fault.blackhole());
    HttpRequest request = request(PATH).timeout(Duration.ofMillis(300)).build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(HttpTimeoutException.class);

    replica.clear();
    assertThat(get(PATH).statusCode()).isEqualTo(200);
  }

  @Test
  void blackhole_closesTheConnectionUnansweredWhenCleared() throws Exception {
    replica.fault(Fault.blackhole());
    try (Socket socket = rawGet(PATH)) {
      assertThat(replica.awaitRequests(1, TIMEOUT)).isTrue();
      replica.clear();

      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(replica.requests()).isEqualTo(1);
  }

  @Test
  void trickle_sendsTheHeadAtOnceThenTheBodyOneByteAtATime() throws Exception {
    Duration perByte = Duration.ofMillis(5);
    replica.fault(Fault.trickle(perByte));
    long start = System.nanoTime();
    try (Socket socket = rawGet(PATH)) {
      InputStream in = socket.getInputStream();
      String head = readHead(in);

      byte[] buffer = new byte[4096];
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int reads = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        body.write(buffer, 0, n);
        reads++;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(head).containsIgnoringCase("Content-Length: " + V9.length());
      assertThat(body.toByteArray()).isEqualTo(V9.getBytes(UTF_8));
      assertThat(reads).isGreaterThan(1);
      assertThat(took).isGreaterThanOrEqualTo(perByte.multipliedBy(V9.length()));
    }
  }

  @Test
  void trickle_sendsTheRestOfTheBodyAtOnceWhenCleared() throws Exception {
    replica.fault(Fault.trickle(Duration.ofHours(1)));
    try (Socket socket = rawGet(PATH)) {
      InputStream in = socket.getInputStream();
      readHead(in);

      replica.clear();

      assertThat(in.readAllBytes()).isEqualTo(V9.getBytes(UTF_8));
    }
  }

  @Test
  void close_endsBlackholeAndTrickleConnectionsAndTheirThreads() throws Exception {
    replica.fault(Fault.blackhole());
    replica.fault(CHECKSUMS, Fault.trickle(Duration.ofHours(1)));
    try (Socket blackholed = rawGet(PATH);
        Socket trickled = rawGet(CHECKSUMS)) {
      readHead(trickled.getInputStream());
      assertThat(replica.awaitRequests(2, TIMEOUT)).isTrue();
      String prefix = "holdfast-faulty-replica-" + replica.uri().getPort() + "-";
      assertThat(threadsNamed(prefix)).isNotEmpty();

      replica.close();

      assertThat(blackholed.getInputStream().read()).isEqualTo(-1);
      assertThat(trickled.getInputStream().read()).isEqualTo(-1);
      for (Thread thread : threadsNamed(prefix)) {
        thread.join(TIMEOUT.toMillis());
      }
      assertThat(threadsNamed(prefix)).isEmpty();
    }
    assertThatThrownBy(() -> get(PATH)).isInstanceOf(ConnectException.class);
  }

  @Test
  void delay_forwardsAfterWaiting() throws Exception {
    Duration delay = Duration.ofMillis(200);
    replica.fault(Fault.delay(delay));
    long start = System.nanoTime();

    HttpResponse<byte[]> response = get(PATH);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
    assertThat(response.body()).isEqualTo(V9.getBytes(UTF_8));
  }

  // --- answers without the replica ---------------------------------------------------------------

  @Test
  void status_answersAProblemWithRetryAfter_withoutContactingTheReplica() throws Exception {
    replica.fault(Fault.status(503, "7"));

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("7");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(new String(response.body(), UTF_8)).contains("\"status\":503");
    assertThat(upstream.hits()).isZero();
  }

  @Test
  void status_withoutRetryAfter_sendsNone() throws Exception {
    replica.fault(Fault.status(500));

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void notModified_answers304WithTheETagEvenToAnUnconditionalRequest() throws Exception {
    replica.fault(Fault.notModified("\"stale\""));

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.headers().firstValue("ETag")).contains("\"stale\"");
    assertThat(response.body()).isEmpty();
    assertThat(upstream.hits()).isZero();
  }

  @Test
  void replay_servesTheRecordedResponseAfterTheReplicaMovedOn() throws Exception {
    FaultyReplica.Recorded v9 = replica.record(PATH, "Authorization", "Bearer hfi_test");
    upstream.serve(V10);
    replica.fault(Fault.replay(v9));

    HttpResponse<byte[]> replayed = get(PATH);

    assertThat(v9.status()).isEqualTo(200);
    assertThat(replayed.body()).isEqualTo(V9.getBytes(UTF_8));
    assertThat(replayed.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
    assertThat(replayed.headers().firstValue("Repr-Digest"))
        .isEqualTo(v9.headers().firstValue("Repr-Digest"));

    replica.clear();
    assertThat(get(PATH).body()).isEqualTo(V10.getBytes(UTF_8));
  }

  @Test
  void html_answersACaptivePortalPage() throws Exception {
    replica.fault(Fault.html());

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(new String(response.body(), UTF_8)).contains("<html>");
  }

  @Test
  void rawResponse_writesTheBytesVerbatim_forMalformedFraming() {
    byte[] chunkedWithoutLastChunk =
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n")
            .getBytes(US_ASCII);
    replica.fault(Fault.rawResponse(chunkedWithoutLastChunk));

    assertThatThrownBy(() -> get(PATH)).isInstanceOf(IOException.class);
  }

  // --- tampered answers --------------------------------------------------------------------------

  @Test
  void emptyBody_keepsStatusAndHeadersButSendsNoBody() throws Exception {
    replica.fault(Fault.emptyBody());

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Length")).contains("0");
    assertThat(response.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
  }

  @Test
  void truncate_makesTheClientHitAnEarlyEof() {
    replica.fault(Fault.truncate(10));

    assertThatThrownBy(() -> get(PATH)).isInstanceOf(IOException.class);
  }

  @Test
  void truncate_sendsTheFullContentLengthButOnlyTheFirstBytes() throws Exception {
    replica.fault(Fault.truncate(10));
    try (Socket socket = rawGet(PATH)) {
      InputStream in = socket.getInputStream();

      assertThat(readHead(in)).containsIgnoringCase("Content-Length: " + V9.length());
      assertThat(in.readAllBytes()).isEqualTo(V9.substring(0, 10).getBytes(UTF_8));
    }
  }

  @Test
  void flipByte_changesExactlyOneByteAndNoHeader() throws Exception {
    replica.fault(Fault.flipByte());

    HttpResponse<byte[]> response = get(PATH);

    byte[] original = V9.getBytes(UTF_8);
    byte[] flipped = response.body();
    assertThat(flipped).hasSameSizeAs(original);
    int differing = 0;
    for (int i = 0; i < original.length; i++) {
      if (original[i] != flipped[i]) {
        differing++;
        assertThat(Integer.bitCount((original[i] ^ flipped[i]) & 0xff)).isEqualTo(1);
      }
    }
    assertThat(differing).isEqualTo(1);
    assertThat(response.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
  }

  @Test
  void stripHeader_removesItWhateverItsCase() throws Exception {
    replica.fault(Fault.stripHeader("repr-digest"));

    HttpResponse<byte[]> response = get(PATH);

    assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
    assertThat(response.headers().firstValue("ETag")).contains(Upstream.etagOf(V9));
    assertThat(response.body()).isEqualTo(V9.getBytes(UTF_8));
  }

  @Test
  void setHeader_replacesAnExistingHeaderOrAddsANewOne() throws Exception {
    replica.fault(PATH, Fault.setHeader("etag", "W/\"weakened\""));
    replica.fault(CHECKSUMS, Fault.setHeader("Holdfast-Revision", "99"));

    assertThat(get(PATH).headers().allValues("ETag")).containsExactly("W/\"weakened\"");
    assertThat(get(CHECKSUMS).headers().allValues("Holdfast-Revision")).containsExactly("99");
  }

  // --- rules and counting ------------------------------------------------------------------------

  @Test
  void pathScopedRule_onlyAffectsMatchingPaths() throws Exception {
    replica.fault(CHECKSUMS, Fault.status(404));

    assertThat(get(CHECKSUMS).statusCode()).isEqualTo(404);
    assertThat(get(PATH).statusCode()).isEqualTo(200);
    assertThat(get("/v1/keys").statusCode()).isEqualTo(200);
  }

  @Test
  void laterRules_takePrecedence_andClearRemovesThemAll() throws Exception {
    replica.fault(Fault.status(500));
    replica.fault(CHECKSUMS, Fault.status(404));
    replica.fault(Fault.status(503));

    assertThat(get(CHECKSUMS).statusCode()).isEqualTo(503);
    assertThat(get(PATH).statusCode()).isEqualTo(503);

    replica.clear();

    assertThat(get(CHECKSUMS).statusCode()).isEqualTo(200);
    assertThat(get(PATH).statusCode()).isEqualTo(200);
  }

  @Test
  void requests_countsEveryRequestReadFaultedOrNot_andResetCountRestartsAtZero() throws Exception {
    get(PATH);
    replica.fault(Fault.status(503));
    get(PATH);
    get(CHECKSUMS);

    assertThat(replica.requests()).isEqualTo(3);
    assertThat(upstream.hits()).isEqualTo(1);

    replica.resetCount();
    get(PATH);

    assertThat(replica.requests()).isEqualTo(1);
    assertThat(replica.awaitRequests(1, Duration.ZERO)).isTrue();
    assertThat(replica.awaitRequests(2, Duration.ofMillis(50))).isFalse();
  }

  @Test
  void faultedCountsOnlyRequestsARuleMatched_requestsByPathCountsEachTarget() throws Exception {
    replica.fault("/checksums", Fault.status(500));
    get(PATH);
    get(CHECKSUMS);
    get(CHECKSUMS);

    assertThat(replica.faulted()).as("the rule matched the checksums only").isEqualTo(2);
    assertThat(replica.requests("/config/")).isEqualTo(1);
    assertThat(replica.requests("/checksums")).isEqualTo(2);
    assertThat(replica.requests("")).isEqualTo(3);

    replica.resetCount();
    get(PATH);

    assertThat(replica.faulted()).isZero();
    assertThat(replica.requests("/checksums")).isZero();
    assertThat(replica.requests("/config/")).isEqualTo(1);
  }

  @Test
  void faultArguments_areValidated() {
    assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.trickle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.setHeader("X-Injected", "a\r\nSet-Cookie: b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.stripHeader("Connection"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Fault.status(503, "5")).hasToString("status(503, 5)");
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static String document(int revision, int seats) {
    return "{\"content\":{\"seats\":"
        + seats
        + "},\"format\":\"holdfast-envelope-1\",\"instance\":\"acme-prod\","
        + "\"issuedAt\":\"2026-11-25T18:19:15.516Z\",\"namespace\":\"core\",\"revision\":"
        + revision
        + "}";
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(replica.uri().resolve(path)).timeout(TIMEOUT);
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = request(path);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> send(URI base, HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.build();
    HttpRequest direct =
        HttpRequest.newBuilder(built, (name, value) -> true)
            .uri(base.resolve(built.uri().getRawPath()))
            .build();
    return client.send(direct, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Headers a proxy must pass on unchanged: all but Connection and Date. */
  private static Map<String, List<String>> endToEndHeaders(HttpResponse<?> response) {
    return response.headers().map().entrySet().stream()
        .filter(e -> !e.getKey().equalsIgnoreCase("connection"))
        .filter(e -> !e.getKey().equalsIgnoreCase("date"))
        .collect(
            Collectors.toMap(
                e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                Map.Entry::getValue,
                (a, b) -> a,
                TreeMap::new));
  }

  private Socket rawGet(String path) throws IOException {
    Socket socket = new Socket("127.0.0.1", replica.uri().getPort());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    socket
        .getOutputStream()
        .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Reads up to and including the empty line that ends a response head. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended inside the head: " + head.toString(US_ASCII));
      }
      head.write(b);
    }
    return head.toString(US_ASCII);
  }

  private static List<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
        .collect(Collectors.toList());
  }
}
