package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.internal.TestDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application validators, through the real client against an in-process replica: a rejected
 * document never replaces the last-known-good one, is reported, is not downloaded again in a loop,
 * and blocks no later fix. Grace and the retry of a rejected document run on manual time; the loop
 * itself polls every 50 ms of real time, and the tests wait for its events.
 */
class DocumentValidatorTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(50);

  private static final TestDocuments.Signed GOOD = DOCS.envelope("core", 2, "{\"seats\":10}");
  private static final TestDocuments.Signed BAD = DOCS.envelope("core", 3, "{\"seats\":0}");

  /** The back-out: the good content again, published as a newer revision. */
  private static final TestDocuments.Signed BACK_OUT = DOCS.envelope("core", 4, "{\"seats\":10}");

  private final ManualTime time = new ManualTime();
  private final BlockingQueue<FetchEvent> events = new LinkedBlockingQueue<>();
  private final List<ConfigSnapshot> changes = new CopyOnWriteArrayList<>();
  private final AtomicInteger validations = new AtomicInteger();

  /** Rejects a document whose seat count is not positive. */
  private final DocumentValidator seatsMustBePositive =
      content -> {
        validations.incrementAndGet();
        if (content.path("seats").asInt(0) <= 0) {
          throw new DocumentRejectedException("seats must be positive");
        }
      };

  private HoldfastClient.Builder builder(URI replica, DocumentValidator validator) {
    return HoldfastClient.builder()
        .replicas(replica)
        .instance(TestDocuments.INSTANCE, "token-123")
        .trustedKey(DOCS.key())
        .namespaces("core")
        .validator("core", validator)
        .watch(false)
        .pollInterval(POLL)
        .backoff(Duration.ofMillis(10), POLL)
        .ticker(time.ticker())
        .clock(time.clock())
        // Only the heartbeat a rejection sends at once can arrive while a test runs.
        .heartbeatInterval(Duration.ofHours(1));
  }

  private HoldfastClient started(HoldfastClient.Builder builder) {
    HoldfastClient client = builder.build();
    client.addFetchListener(events::add);
    client.addChangeListener((previous, current) -> changes.add(current));
    client.start();
    return client;
  }

  /** The next fetch event matching, skipping others; fails after 10 s without one. */
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

  /**
   * Waits for this many more sync cycles (each begins with the checksums) and returns the document
   * requests seen meanwhile. Listeners are told in order, so once a cycle's checksums event
   * arrives, every event of the cycles before it has too.
   */
  private List<FetchEvent> documentRequestsDuringCycles(int cycles) throws InterruptedException {
    List<FetchEvent> documents = new CopyOnWriteArrayList<>();
    for (int seen = 0; seen < cycles; ) {
      FetchEvent event = next(e -> true, "any");
      if (event.kind() == Kind.DOCUMENT) {
        documents.add(event);
      } else {
        seen++;
      }
    }
    return documents;
  }

  private static boolean coreIs(JsonNode heartbeat, String status) {
    return heartbeat.path("namespaces").path("core").path("status").asText().equals(status);
  }

  @Test
  void rejectedRevision_keepsTheLastKnownGoodDocument_andGoesStaleWithTheApplicationsReason()
      throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), seatsMustBePositive))) {
      assertThat(client.status("core").status()).isEqualTo(Status.FRESH);

      replica.serve(BAD);

      FetchEvent refused = next(Kind.DOCUMENT, Outcome.REFUSED);
      String reason = "rejected by the application: seats must be positive (revision 3)";
      assertThat(refused.reason()).isEqualTo(reason);
      documentRequestsDuringCycles(2);
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.STALE);
      assertThat(core.freshness().reason()).isEqualTo(reason);
      assertThat(core.revision()).isEqualTo(2);
      assertThat(core.etag()).isEqualTo(GOOD.etag());
      assertThat(core.getInt("seats", -1)).isEqualTo(10);
      assertThat(changes).extracting(ConfigSnapshot::revision).containsExactly(2L);
      JsonNode heartbeat = replica.nextHeartbeat(h -> coreIs(h, "STALE"), WAIT);
      assertThat(heartbeat.path("namespaces").path("core").path("reason").asText())
          .isEqualTo(reason);
      assertThat(heartbeat.path("namespaces").path("core").path("revision").asLong()).isEqualTo(2);
    }
  }

  @Test
  void rejectedEtag_isNotDownloadedAgainEveryCycle_butOnceMoreAfterThePollInterval()
      throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), seatsMustBePositive))) {
      replica.serve(BAD);
      next(Kind.DOCUMENT, Outcome.REFUSED);
      int downloads = replica.documentsSent();

      assertThat(documentRequestsDuringCycles(5))
          .as("five cycles with the rejected ETag listed")
          .isEmpty();
      assertThat(replica.documentsSent()).isEqualTo(downloads);
      assertThat(validations).hasValue(2); // the good document, then the rejected one, once

      time.advance(POLL);

      assertThat(next(Kind.DOCUMENT, Outcome.REFUSED).reason()).contains("seats must be positive");
      assertThat(documentRequestsDuringCycles(5)).as("remembered again").isEmpty();
      assertThat(replica.documentsSent()).isEqualTo(downloads + 1);
      assertThat(validations).hasValue(3);
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
  }

  @Test
  void watchAnsweringNotModified_whileTheRejectedDocumentIsServed_keepsTheNamespaceStale()
      throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), seatsMustBePositive).watch(true))) {
      next(Kind.WATCH, Outcome.NOT_MODIFIED);
      replica.serve(BAD);
      next(Kind.DOCUMENT, Outcome.REFUSED);
      int downloads = replica.documentsSent();

      for (int i = 0; i < 3; i++) {
        next(Kind.WATCH, Outcome.NOT_MODIFIED);
      }

      Freshness core = client.status("core");
      assertThat(core.status())
          .as("a 304 for the rejected checksums confirms nothing")
          .isEqualTo(Status.STALE);
      assertThat(core.reason())
          .isEqualTo("rejected by the application: seats must be positive (revision 3)");
      assertThat(replica.documentsSent()).isEqualTo(downloads);

      replica.serve(BACK_OUT);
      assertThat(client.awaitFresh(WAIT)).isTrue();
      assertThat(client.snapshot("core").revision()).isEqualTo(4);
    }
  }

  @Test
  void fixForward_aNewerRevisionThatPasses_isAdopted_andTheNamespaceIsFreshAgain()
      throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), seatsMustBePositive))) {
      replica.serve(BAD);
      next(Kind.DOCUMENT, Outcome.REFUSED);

      replica.serve(BACK_OUT);

      assertThat(next(Kind.DOCUMENT, Outcome.ADOPTED).reason()).isEqualTo("a new document");
      assertThat(client.awaitFresh(WAIT)).isTrue();
      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.revision()).isEqualTo(4);
      assertThat(core.freshness().reason()).isEqualTo("verified");
      assertThat(core.getInt("seats", -1)).isEqualTo(10);
      assertThat(documentRequestsDuringCycles(2)).isEmpty();
      assertThat(changes).extracting(ConfigSnapshot::revision).containsExactly(2L, 4L);
    }
  }

  @Test
  void throwingValidator_countsAsARejection_withTheExceptionsMessage_andTheClientCarriesOn()
      throws Exception {
    DocumentValidator broken =
        content -> {
          if (content.path("seats").asInt() == 0) {
            throw new IllegalStateException("no seat table for 0 seats");
          }
        };
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), broken))) {
      replica.serve(BAD);

      assertThat(next(Kind.DOCUMENT, Outcome.REFUSED).reason())
          .isEqualTo("rejected by the application: no seat table for 0 seats (revision 3)");
      documentRequestsDuringCycles(2);
      assertThat(client.status("core").status()).isEqualTo(Status.STALE);
      assertThat(client.snapshot("core").revision()).isEqualTo(2);

      replica.serve(BACK_OUT);
      assertThat(client.awaitFresh(WAIT)).isTrue();
      assertThat(client.snapshot("core").revision()).isEqualTo(4);
    }
  }

  @Test
  void firstDocumentRejected_leavesTheNamespaceInitializing_withTheReason() throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, BAD);
        HoldfastClient client =
            started(
                builder(replica.uri(), seatsMustBePositive)
                    .startupTimeout(Duration.ZERO)
                    .failWhenUnavailable(false))) {
      next(Kind.DOCUMENT, Outcome.REFUSED);
      documentRequestsDuringCycles(2);

      ConfigSnapshot core = client.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.INITIALIZING);
      assertThat(core.revision()).isZero();
      assertThat(core.getInt("seats", -1)).isEqualTo(-1);
      assertThat(core.freshness().reason())
          .isEqualTo("rejected by the application: seats must be positive (revision 3)");
    }
  }

  @Test
  void validator_seesOnlyVerifiedDocuments() throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client = started(builder(replica.uri(), seatsMustBePositive))) {
      assertThat(validations).hasValue(1);

      replica.serve(new TestDocuments.Signed(BAD.body(), BAD.reprDigest(), GOOD.signature()));
      next(Kind.DOCUMENT, Outcome.REJECTED);
      replica.serve(DOCS.envelope("core", 1, "{\"seats\":0}"));
      next(Kind.DOCUMENT, Outcome.REFUSED);

      assertThat(validations).as("neither the forged nor the rolled-back document").hasValue(1);
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
  }

  @Test
  void rejectedRevision_isNotWrittenToDisk_andAColdStartServesTheCachedCopyWithoutValidatingIt(
      @TempDir Path cache) throws Exception {
    try (InProcessReplica replica = new InProcessReplica(DOCS, GOOD);
        HoldfastClient client =
            started(builder(replica.uri(), seatsMustBePositive).cacheDirectory(cache))) {
      replica.serve(BAD);
      next(Kind.DOCUMENT, Outcome.REFUSED);
      documentRequestsDuringCycles(2);
      assertThat(client.snapshot("core").revision()).isEqualTo(2);
    }
    AtomicInteger calls = new AtomicInteger();
    DocumentValidator rejectsEverything =
        content -> {
          calls.incrementAndGet();
          throw new DocumentRejectedException("nothing is good enough");
        };

    try (HoldfastClient restarted =
        builder(closedReplica(), rejectsEverything)
            .cacheDirectory(cache)
            .startupTimeout(Duration.ZERO)
            .heartbeatInterval(Duration.ZERO)
            .build()) {
      restarted.start();

      ConfigSnapshot core = restarted.snapshot("core");
      assertThat(core.status()).isEqualTo(Status.STALE);
      assertThat(core.revision()).isEqualTo(2);
      assertThat(core.getInt("seats", -1)).isEqualTo(10);
      assertThat(calls).as("the cached copy was validated when it was accepted").hasValue(0);
    }
  }

  private static URI closedReplica() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
