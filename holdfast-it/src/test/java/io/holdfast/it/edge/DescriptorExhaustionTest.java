package io.holdfast.it.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAULTS F1 against a replica process with a low open-files limit: more idle and slowloris sockets
 * than it may open, and then its descriptors exhausted from inside the process.
 */
class DescriptorExhaustionTest {

  static final Duration HEADER = Duration.ofSeconds(2);
  static final Duration IDLE = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void
      F1_thousandsOfIdleAndSlowlorisSockets_moreThanTheProcessMayOpen_readsKeepSucceeding_andAllAreReclaimed()
          throws Exception {
    try (EdgeReplica replica =
        new EdgeReplica(dir, 1024, IDLE.toMillis(), HEADER.toMillis(), 5_000, 20_000, 64, 64, 64)) {
      int cap = replica.ready().at("/connections/max").asInt();
      assertThat(cap).as("max-connections lowered to what 1024 descriptors allow").isLessThan(1024);
      List<Socket> idle = new ArrayList<>();
      List<Integer> reads = new ArrayList<>();
      try {
        // 2,000 sockets from 40 addresses, 50 each: under the per-address cap, twice what the
        // process may open. Every other one starts a request head and stalls (slowloris).
        for (int i = 0; i < 2_000; i++) {
          Socket s = RawHttp.connect("127.0.1." + (1 + i % 40), replica.port);
          if (i % 2 == 1) {
            try {
              s.getOutputStream()
                  .write(
                      "GET /v1/keys HTTP/1.1\r\nX-Slow: "
                          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException refused) {
              // already answered and closed by a cap
            }
          }
          idle.add(s);
          if (i % 100 == 0) {
            reads.add(replica.read("acme", replica.acme));
          }
        }
        for (int i = 0; i < 10; i++) {
          reads.add(replica.read("globex", replica.globex));
        }
        assertThat(reads).as("instance reads through the flood").containsOnly(200);
        for (Socket s : idle) {
          RawHttp.Exchange seen = RawHttp.readUntilClosed(s, HEADER.plusSeconds(3));
          assertThat(seen.closed())
              .as("every idle socket is closed: refused, evicted or timed out")
              .isTrue();
          assertThat(seen.statuses()).isSubsetOf(503);
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
      assertThat(replica.logLines("stopped accepting")).as("the listener never died").isEmpty();
      assertThat(replica.read("acme", replica.acme)).isEqualTo(200);
      assertThat(replica.ready().at("/connections/accepting").asBoolean()).isTrue();
    }
  }

  /**
   * Whether a new connection goes unanswered: refused, or accepted by the kernel and never served.
   */
  private static boolean notServed(EdgeReplica replica) {
    try {
      return RawHttp.exchange(
              replica.port, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n", Duration.ofSeconds(2))
          .statuses()
          .isEmpty();
    } catch (java.io.UncheckedIOException refused) {
      return true;
    }
  }

  @Test
  void F1_descriptorsExhaustedInsideTheProcess_theListenerComesBack() throws Exception {
    try (EdgeReplica replica =
        new EdgeReplica(dir, 512, IDLE.toMillis(), HEADER.toMillis(), 5_000, 20_000, 64, 64, 64)) {
      assertThat(replica.read("acme", replica.acme)).isEqualTo(200);
      replica.process.send("HOG");
      String hogged = replica.process.awaitLine("HOGGED ", 30);
      assertThat(Integer.parseInt(hogged.substring("HOGGED ".length()).strip())).isPositive();
      // A connection now makes accept() fail with "Too many open files", which ends Helidon's
      // accept loop for good unless something brings it back.
      await().atMost(Duration.ofSeconds(20)).until(() -> notServed(replica));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !replica.logLines("run out of file descriptors").isEmpty());

      replica.process.send("FREE");
      replica.process.awaitLine("FREED", 30);
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> replica.read("acme", replica.acme) == 200);
      assertThat(replica.read("globex", replica.globex)).isEqualTo(200);
      assertThat(replica.logLines("stopped accepting"))
          .as("the listener died, and the watchdog saw it")
          .isNotEmpty();
      assertThat(replica.logLines("accepts connections again")).isNotEmpty();
      assertThat(replica.logLines("run out of file descriptors"))
          .as("one line per episode")
          .hasSize(1);
      assertThat(replica.logLines("\tat ")).as("no stack trace").isEmpty();
    }
  }
}
