package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.internal.TestDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Fetch listeners are told of each request the real client makes, with its outcome. */
class FetchListenerTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<FetchEvent> events = new LinkedBlockingQueue<>();

  private static HoldfastClient client(URI replica) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core")
        .watch(false)
        .pollInterval(Duration.ofMillis(50))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .startupTimeout(Duration.ZERO) // the tests wait for the events themselves
        .failWhenUnavailable(false)
        .heartbeatInterval(Duration.ZERO)
        .build();
  }

  /** The next event matching, skipping others; fails after 10 s without one. */
  private FetchEvent next(Predicate<FetchEvent> wanted, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      FetchEvent event = events.poll(left, TimeUnit.NANOSECONDS);
      if (event != null && wanted.test(event)) {
        return event;
      }
    }
    throw new AssertionError("no fetch event: " + what);
  }

  private FetchEvent next(Kind kind, Outcome outcome) throws InterruptedException {
    return next(e -> e.kind() == kind && e.outcome() == outcome, kind + " " + outcome);
  }

  @Test
  void firstSync_reportsChecksumsAndDocumentAdopted_thenPollsConfirm() throws InterruptedException {
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 2, "{\"seats\":10}"));
        HoldfastClient client = client(replica.uri())) {
      client.addFetchListener(events::add);
      client.start();

      FetchEvent checksums = next(e -> true, "any");
      assertThat(checksums.kind()).isEqualTo(Kind.CHECKSUMS);
      assertThat(checksums.outcome()).isEqualTo(Outcome.ADOPTED);
      assertThat(checksums.namespace()).isNull();
      assertThat(checksums.replica()).isEqualTo(replica.uri());
      FetchEvent document = next(e -> true, "any");
      assertThat(document.kind()).isEqualTo(Kind.DOCUMENT);
      assertThat(document.outcome()).isEqualTo(Outcome.ADOPTED);
      assertThat(document.namespace()).isEqualTo("core");
      assertThat(document.duration()).isPositive();
      assertThat(next(Kind.CHECKSUMS, Outcome.CONFIRMED).reason())
          .isEqualTo("every held document is current");
    }
  }

  @Test
  void A9_checksumsUnavailable_reportsUnavailable_andTheDocumentNotModified()
      throws InterruptedException {
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 2, "{\"seats\":10}"));
        HoldfastClient client = client(replica.uri())) {
      client.addFetchListener(events::add);
      client.start();
      next(Kind.DOCUMENT, Outcome.ADOPTED);

      replica.checksumsStatus(503);

      assertThat(next(Kind.CHECKSUMS, Outcome.UNAVAILABLE).reason()).isEqualTo("HTTP 503");
      FetchEvent document = next(Kind.DOCUMENT, Outcome.NOT_MODIFIED);
      assertThat(document.namespace()).isEqualTo("core");
      assertThat(document.outcome().succeeded()).isTrue();
      assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
    }
  }

  @Test
  void badSignature_isRejected_andAnOlderRevision_isRefused() throws InterruptedException {
    TestDocuments.Signed held = DOCS.envelope("core", 2, "{\"seats\":10}");
    try (InProcessReplica replica = new InProcessReplica(DOCS, held);
        HoldfastClient client = client(replica.uri())) {
      client.addFetchListener(events::add);
      client.start();
      next(Kind.DOCUMENT, Outcome.ADOPTED);

      TestDocuments.Signed genuine = DOCS.envelope("core", 3, "{\"seats\":0}");
      replica.serve(
          new TestDocuments.Signed(genuine.body(), genuine.reprDigest(), held.signature()));
      FetchEvent rejected = next(Kind.DOCUMENT, Outcome.REJECTED);
      assertThat(rejected.reason()).contains("signature");
      assertThat(rejected.outcome().succeeded()).isFalse();

      replica.serve(DOCS.envelope("core", 1, "{\"seats\":0}"));
      assertThat(next(Kind.DOCUMENT, Outcome.REFUSED).reason()).contains("rollback");
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
  }

  @Test
  void unreachableReplica_reportsUnreachable() throws IOException, InterruptedException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
    try (HoldfastClient client = client(closed)) {
      client.addFetchListener(events::add);
      client.start();

      FetchEvent event = next(Kind.CHECKSUMS, Outcome.UNREACHABLE);
      assertThat(event.replica()).isEqualTo(closed);
      assertThat(event.reason()).isNotBlank();
    }
  }

  @Test
  void B12_aThrowingFetchListener_isFenced_andTheOthersAndTheClientCarryOn()
      throws InterruptedException {
    try (InProcessReplica replica =
            new InProcessReplica(DOCS, DOCS.envelope("core", 2, "{\"seats\":10}"));
        HoldfastClient client = client(replica.uri())) {
      client.addFetchListener(
          event -> {
            throw new IllegalStateException("a broken metrics backend");
          });
      client.addFetchListener(events::add);
      client.start();

      next(Kind.DOCUMENT, Outcome.ADOPTED);
      next(Kind.CHECKSUMS, Outcome.CONFIRMED);
      assertThat(client.status("core").status()).isEqualTo(Status.FRESH);
    }
  }
}
