package io.holdfast.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultyReplica} in front of an event stream: passed on as it arrives, and its faults
 * applied to the stream (cut, flipped, buffered, cut by a later rule), against a stand-in replica
 * whose events the test releases one at a time.
 */
class FaultyReplicaStreamTest {

  private static final String PATH = "/v1/instances/acme/events";
  private static final String OPENING = ": holdfast checksums stream\n\n";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private HttpServer upstream;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final AtomicInteger opened = new AtomicInteger();
  private FaultyReplica proxy;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          try (exchange) {
            opened.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            OutputStream out = exchange.getResponseBody();
            out.write(OPENING.getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (String event = events.take(); !event.isEmpty(); event = events.take()) {
              out.write(event.getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    upstream.start();
    proxy = FaultyReplica.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    for (int i = 0; i < 8; i++) {
      events.add(""); // ends the stand-in's streams
    }
    upstream.stop(0);
  }

  private static String event(int n) {
    return "event: checksums\nid: \"e" + n + "\"\ndata: {\"etag\":\"e" + n + "\"}\n\n";
  }

  private HttpResponse<InputStream> open(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(proxy.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Opens the stream through the proxy and reads its opening comment. */
  private BufferedReader openPastItsOpening() throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(PATH).body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo(": holdfast checksums stream");
    return reader;
  }

  private static String readUntil(BufferedReader reader, String line) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String next = reader.readLine(); next != null; next = reader.readLine()) {
      seen.append(next).append('\n');
      if (next.equals(line)) {
        return seen.toString();
      }
    }
    throw new IOException("stream ended before " + line + " in " + seen);
  }

  @Test
  void stream_isPassedOnAsItArrives_eventByEvent() throws Exception {
    HttpResponse<InputStream> response = open(PATH);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo(": holdfast checksums stream");

    events.add(event(1)); // the second is not sent before the first has arrived
    readUntil(reader, "data: {\"etag\":\"e1\"}");
    events.add(event(2));
    readUntil(reader, "data: {\"etag\":\"e2\"}");
    events.add("");
    assertThat(reader.readLine()).isEmpty();
    assertThat(reader.readLine()).as("the replica's end is passed on").isNull();
    assertThat(proxy.requests("/events")).isEqualTo(1);
  }

  @Test
  void truncate_cutsTheStreamMidEvent_withoutItsLastChunk() throws Exception {
    proxy.fault("/events", Fault.truncate(OPENING.length() + 10));
    events.add(event(1));

    // A raw socket, not HttpClient: its body stream may report the cut before handing over the
    // bytes that arrived ahead of it, while TCP always delivers them before the close.
    byte[] answer;
    try (Socket socket = new Socket("127.0.0.1", proxy.uri().getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket
          .getOutputStream()
          .write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
      answer = socket.getInputStream().readAllBytes();
    }
    String text = new String(answer, StandardCharsets.UTF_8);
    int bodyStart = text.indexOf("\r\n\r\n") + 4;
    assertThat(text.substring(0, bodyStart)).containsIgnoringCase("Transfer-Encoding: chunked");

    StringBuilder body = new StringBuilder();
    boolean lastChunk = false;
    int at = bodyStart;
    while (at < text.length()) {
      int sizeEnd = text.indexOf("\r\n", at);
      int size = Integer.parseInt(text.substring(at, sizeEnd), 16);
      if (size == 0) {
        lastChunk = true;
        break;
      }
      body.append(text, sizeEnd + 2, sizeEnd + 2 + size);
      at = sizeEnd + 2 + size + 2;
    }
    assertThat(body.toString()).isEqualTo(OPENING + "event: che");
    assertThat(lastChunk).as("cut inside the chunked body, not ended").isFalse();
  }

  @Test
  void flipByte_altersTheFirstEventsData_andPassesTheRestUntouched() throws Exception {
    proxy.fault("/events", Fault.flipByte());
    events.add(event(1));
    events.add(event(2));
    events.add("");
    String body = new String(open(PATH).body().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(body).doesNotContain("data: {\"etag\":\"e1\"}").contains(event(2));
    assertThat(body).hasSize((OPENING + event(1) + event(2)).length());
  }

  @Test
  void bufferStreams_showsNoByteWhileTheReplicaKeepsTheStreamOpen_thenAllAtOnce() throws Exception {
    proxy.fault("/events", Fault.bufferStreams());
    events.add(event(1));
    CompletableFuture<HttpResponse<byte[]>> answer =
        http.sendAsync(
            HttpRequest.newBuilder(proxy.uri().resolve(PATH)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(proxy.awaitRequests(1, WAIT)).isTrue();
    assertThatThrownBy(() -> answer.get(500, TimeUnit.MILLISECONDS))
        .as("not even the head while the stream is open")
        .isInstanceOf(TimeoutException.class);

    events.add("");
    HttpResponse<byte[]> response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(OPENING + event(1));
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(response.body().length));
  }

  @Test
  void ruleOnTheChecksums_cutsAnOpenStream_andAppliesToItsReconnect() throws Exception {
    BufferedReader reader = openPastItsOpening();

    proxy.fault("/checksums", Fault.status(503, "1"));

    assertThatThrownBy(() -> readUntil(reader, "never")).isInstanceOf(IOException.class);
    HttpResponse<InputStream> again = open(PATH);
    assertThat(again.statusCode()).isEqualTo(503);
    assertThat(proxy.faulted()).isEqualTo(1);
  }

  @Test
  void ruleForAnotherPath_leavesTheStreamOpen() throws Exception {
    BufferedReader reader = openPastItsOpening();

    proxy.fault("/config/", Fault.status(503));
    events.add(event(1));

    readUntil(reader, "data: {\"etag\":\"e1\"}");
    assertThat(opened.get()).isEqualTo(1);
  }

  @Test
  void rulesOnTheChecksumsOrTheWatch_matchTheStream_otherRulesDoNot() {
    String events = "/v1/instances/acme/events";
    assertThat(FaultRules.matches("/checksums", events)).isTrue();
    assertThat(FaultRules.matches("/watch", events)).isTrue();
    assertThat(FaultRules.matches("/instances/acme/checksums", events)).isTrue();
    assertThat(FaultRules.matches("/events", events)).isTrue();
    assertThat(FaultRules.matches("/config/", events)).isFalse();
    assertThat(FaultRules.matches("/instances/other/checksums", events)).isFalse();
    assertThat(FaultRules.matches("/checksums", "/v1/instances/acme/config/core")).isFalse();
  }
}
