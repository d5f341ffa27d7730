package io.holdfast.it.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS section F against a real replica process: clients that hold sockets, trickle bytes, break
 * framing, hoard watches or flood one tenant's share. Each test asserts that the replica answers
 * what it must, ends what it must, and keeps serving the other tenant.
 *
 * <p>Edge settings of the replica: idle 3 s, header 1.5 s, request 2 s, 64 connections per address,
 * 4 watches and 4 requests per instance. Attackers connect from other loopback addresses (127.0.0.2
 * and up), as other hosts would.
 */
class HostileClientsTest {

  static final Duration IDLE = Duration.ofSeconds(3);
  static final Duration HEADER = Duration.ofMillis(1500);
  static final Duration REQUEST = Duration.ofSeconds(2);

  /** Deadlines are checked every 250 ms; a socket is closed within this of its deadline. */
  static final Duration SLACK = Duration.ofSeconds(2);

  @TempDir static Path dir;
  static EdgeReplica replica;

  @BeforeAll
  static void start() throws Exception {
    replica =
        new EdgeReplica(
            dir, 4096, IDLE.toMillis(), HEADER.toMillis(), REQUEST.toMillis(), 20_000, 64, 4, 4);
  }

  @AfterAll
  static void stop() {
    if (replica != null) {
      replica.close();
    }
  }

  @Test
  void F2_slowlorisSockets_areClosedAtTheHeaderDeadline_whileReadsGoOn() throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Socket s = RawHttp.connect("127.0.0." + (2 + i % 4), replica.port);
      s.getOutputStream().write("GET /v1/keys HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      slow.add(s);
    }
    long started = System.nanoTime();
    int[] statuses = new int[20];
    // Trickle one header byte per socket every 200 ms while reading as the other tenant.
    for (int round = 0; round < 20; round++) {
      for (Socket s : slow) {
        trickle(s, "X");
      }
      statuses[round] = replica.read("globex", replica.globex);
    }
    assertThat(statuses).containsOnly(200);
    for (Socket s : slow) {
      RawHttp.Exchange seen = RawHttp.readUntilClosed(s, HEADER.plus(SLACK));
      assertThat(seen.closed()).as("a slowloris socket is closed by the header deadline").isTrue();
      assertThat(seen.text()).as("nobody is answered a half-sent head").isEmpty();
      s.close();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(HEADER.plus(SLACK).plusSeconds(5));
    assertOneShortLinePerKind();
  }

  @Test
  void F2_stalledBodies_getRequestTimeout_andTheConnectionCloses() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Socket s = RawHttp.connect("127.0.0.6", replica.port);
      s.getOutputStream()
          .write(
              ("POST /v1/admin/namespaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + EdgeReplica.ADMIN
                      + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                  .getBytes(StandardCharsets.US_ASCII));
      stalled.add(s);
    }
    assertThat(replica.read("acme", replica.acme)).isEqualTo(200);
    for (Socket s : stalled) {
      RawHttp.Exchange seen = RawHttp.readUntilClosed(s, REQUEST.plus(SLACK));
      assertThat(seen.statuses()).containsExactly(408);
      assertThat(seen.closed()).isTrue();
      s.close();
    }
  }

  @Test
  void F2_idleKeptAliveConnections_areClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = RawHttp.connect("127.0.0.7", replica.port)) {
      s.getOutputStream()
          .write(
              "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Exchange seen = RawHttp.readUntilClosed(s, IDLE.plus(SLACK));
      assertThat(seen.statuses()).containsExactly(200);
      assertThat(seen.closed()).as("closed by the idle timeout").isTrue();
    }
  }

  @Test
  void F2_connectionsBeyondThePerAddressCap_areRefusedWithAnAnswer() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        held.add(RawHttp.connect("127.0.0.8", replica.port));
      }
      // The 65th from the same address: answered 503 and closed at once; another address is served.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (Socket extra = RawHttp.connect("127.0.0.8", replica.port)) {
                  RawHttp.Exchange seen = RawHttp.readUntilClosed(extra, Duration.ofSeconds(2));
                  assertThat(seen.statuses()).containsExactly(503);
                  assertThat(seen.text()).contains("too-many-connections").contains("Retry-After");
                  assertThat(seen.closed()).isTrue();
                }
              });
      assertThat(replica.read("globex", replica.globex)).isEqualTo(200);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void F4_versionsAndFraming_getExactlyOneClearAnswerEach() {
    int port = replica.port;
    Duration wait = Duration.ofSeconds(3);
    RawHttp.Exchange http10 = RawHttp.exchange(port, "GET /health/live HTTP/1.0\r\n\r\n", wait);
    assertThat(http10.statuses()).containsExactly(200);
    assertThat(http10.text())
        .contains("Connection: close")
        .contains("Content-Length:")
        .doesNotContain("chunked");
    assertThat(http10.closed()).as("HTTP/1.0 without keep-alive closes after the answer").isTrue();

    RawHttp.Exchange http10Read =
        RawHttp.exchange(
            port,
            "GET /v1/instances/acme/config/core HTTP/1.0\r\n"
                + "Authorization: Bearer "
                + replica.acme
                + "\r\n\r\n",
            wait);
    assertThat(http10Read.statuses()).containsExactly(200);
    assertThat(http10Read.text()).contains("ETag: \"").contains("Holdfast-Signature");

    RawHttp.Exchange close =
        RawHttp.exchange(
            port, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait);
    assertThat(close.statuses()).containsExactly(200);
    assertThat(close.closed()).as("Connection: close closes").isTrue();

    assertOneAnswer(
        RawHttp.exchange(port, "GET /health/live HTTP/2.0\r\nHost: x\r\n\r\n", wait), 505);
    assertOneAnswer(RawHttp.exchange(port, "GET /health/live HTTP/1.1\nHost: x\n\n", wait), 400);
    assertOneAnswer(
        RawHttp.exchange(port, "G\0T /health/live HTTP/1.1\r\nHost: x\r\n\r\n", wait), 400);
    assertOneAnswer(
        RawHttp.exchange(port, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", wait),
        414);
    assertOneAnswer(RawHttp.exchange(port, "garbage\r\n\r\n", wait), 400);
    // Two requests after a bad chunked body: one answer, then the connection closes.
    assertOneAnswer(
        RawHttp.exchange(
            port,
            "POST /v1/admin/namespaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + EdgeReplica.ADMIN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "fffffffffffffffffff1\r\nabc\r\n0\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\n\r\n",
            wait),
        400);

    RawHttp.Exchange unknown =
        RawHttp.exchange(
            port, "FOO /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait);
    assertThat(unknown.statuses()).containsExactly(501);
    assertThat(unknown.text()).contains("Allow: ");
    assertThat(replica.logLines("Exception")).as("no stack trace for a client's mistake").isEmpty();
    assertThat(replica.logLines("\"status\":500")).as("never a 500").isEmpty();
  }

  @Test
  void F5_abandonedWatches_freeTheirPlacesAtOnce_andOneInstanceCannotHoldMore() throws Exception {
    String etag = checksumsEtag();
    String watch =
        "GET /v1/instances/acme/watch?etag="
            + etag
            + "&timeout=30s HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer "
            + replica.acme
            + "\r\n\r\n";
    for (int round = 0; round < 2; round++) {
      List<Socket> watches = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Socket s = RawHttp.connect("127.0.0.9", replica.port);
        s.getOutputStream().write(watch.getBytes(StandardCharsets.US_ASCII));
        watches.add(s);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> replica.ready().at("/watchers/waiting").asInt() == 4);
      RawHttp.Exchange fifth = RawHttp.exchange(replica.port, watch, Duration.ofSeconds(3));
      assertThat(fifth.statuses()).as("the instance's fifth watch").containsExactly(429);
      assertThat(fifth.text()).contains("Retry-After");
      RawHttp.Exchange other =
          RawHttp.exchange(
              replica.port,
              "GET /v1/instances/globex/watch?timeout=1s HTTP/1.1\r\n"
                  + "Host: x\r\nAuthorization: Bearer "
                  + replica.globex
                  + "\r\nConnection: close\r\n\r\n",
              Duration.ofSeconds(5));
      assertThat(other.statuses()).as("another instance still watches").containsExactly(200);
      for (Socket s : watches) {
        s.close();
      }
      // Their clients are gone: the places are free within a check interval, not at the 30 s
      // timeout.
      await()
          .atMost(Duration.ofSeconds(4))
          .until(() -> replica.ready().at("/watchers/waiting").asInt() == 0);
    }
  }

  @Test
  void D16_oneInstanceFloodingRequests_getsTooManyRequests_whileAnotherIsServed() throws Exception {
    List<Socket> held = new ArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = RawHttp.connect("127.0.0.10", replica.port);
        s.getOutputStream()
            .write(
                ("POST /v1/instances/acme/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + replica.acme
                        + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
        held.add(s);
      }
      // Four requests of acme's are in flight (their bodies stalled): the fifth is refused at once.
      await().atMost(Duration.ofSeconds(2)).until(() -> replica.read("acme", replica.acme) == 429);
      // Another tenant, reading as hard as its own share allows (4 at once, each twice), is
      // served: more than 4 at once would be refused by its own share, not by acme's flood.
      List<Future<List<Integer>>> others = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        others.add(
            pool.submit(
                () ->
                    List.of(
                        replica.read("globex", replica.globex),
                        replica.read("globex", replica.globex))));
      }
      for (Future<List<Integer>> statuses : others) {
        assertThat(statuses.get()).containsOnly(200);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
      pool.close();
    }
    await().atMost(Duration.ofSeconds(4)).until(() -> replica.read("acme", replica.acme) == 200);
  }

  @Test
  void F8_controlCharactersAndHugeValuesInEveryField_leaveShortPrintableLogLines() {
    String escape = "\u001b[2J\u001b[31mFORGED\r\nINFO fake line";
    Duration wait = Duration.ofSeconds(3);
    int before = replica.process.output().size();
    // A raw escape in the request line, a megabyte header, a huge path, a hostile form field.
    RawHttp.exchange(replica.port, "GET /v1/" + escape + " HTTP/1.1\r\nHost: x\r\n\r\n", wait);
    RawHttp.Exchange huge =
        RawHttp.exchange(
            replica.port,
            "GET /v1/keys HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "\u001b".repeat(1024 * 1024)
                + "\r\n\r\n",
            wait);
    assertThat(huge.statuses()).containsExactly(431);
    RawHttp.exchange(
        replica.port,
        "GET /v1/" + "%1b".repeat(1300) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        wait);
    String form = "token=" + "%1b%5b31m".repeat(100);
    RawHttp.exchange(
        replica.port,
        "POST /console/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            + "\r\nContent-Length: "
            + form.length()
            + "\r\nConnection: close\r\n\r\n"
            + form,
        wait);
    RawHttp.exchange(replica.port, "G\u001bT /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n", wait);
    List<String> lines = replica.process.output();
    List<String> written = lines.subList(before, lines.size());
    assertThat(written).as("the replica said something about these requests").isNotEmpty();
    for (String line : written) {
      assertThat(line.length()).as(line).isLessThan(600);
      assertThat(line).doesNotContain("\u001b").doesNotStartWith("INFO fake line");
    }
    assertThat(written).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
  }

  private static String checksumsEtag() {
    RawHttp.Exchange seen =
        RawHttp.exchange(
            replica.port,
            "GET /v1/instances/acme/checksums HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer "
                + replica.acme
                + "\r\nConnection: close\r\n\r\n",
            Duration.ofSeconds(3));
    String text = seen.text();
    int at = text.indexOf("ETag: \"") + "ETag: \"".length();
    return text.substring(at, text.indexOf('"', at));
  }

  private static void assertOneAnswer(RawHttp.Exchange seen, int status) {
    assertThat(seen.statuses()).as(seen.text()).containsExactly(status);
    assertThat(seen.text()).contains("application/problem+json");
    assertThat(seen.closed()).as("closed after the one answer").isTrue();
  }

  private static void trickle(Socket s, String text) {
    try {
      OutputStream out = s.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // closed by the replica already
    }
  }

  /** FAULTS F8: the replica's lines about clients are few, short and printable. */
  private static void assertOneShortLinePerKind() {
    List<String> lines = replica.logLines("client mistake");
    for (String line : lines) {
      assertThat(line.length()).isLessThan(400);
      assertThat(line.chars().allMatch(c -> c >= 0x20 && c != 0x7f)).isTrue();
    }
    assertThat(replica.logLines("WARN")).noneMatch(l -> l.contains("WebServer socket"));
  }
}
