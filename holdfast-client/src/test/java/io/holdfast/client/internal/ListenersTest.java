package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Freshness;
import io.holdfast.client.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenersTest {

  private static final TestDocuments DOCS = new TestDocuments();

  private final ManualTime time = new ManualTime();
  private final RecordingLogger log = new RecordingLogger();
  private final Listeners listeners = new Listeners(log);
  private final NamespaceTracker tracker =
      new NamespaceTracker(
          "core",
          Duration.ofHours(8),
          Duration.ofMinutes(5),
          ExpiredPolicy.SERVE_LAST_KNOWN_GOOD,
          time.ticker(),
          time.clock(),
          ConfigSnapshot::new,
          new RecordingLogger());

  @AfterEach
  void close() {
    listeners.close();
  }

  @Test
  void B12_aThrowingChangeListener_doesNotStopTheNextOne() throws InterruptedException {
    CountDownLatch called = new CountDownLatch(1);
    AtomicReference<ConfigSnapshot> previous = new AtomicReference<>();
    AtomicReference<ConfigSnapshot> current = new AtomicReference<>();
    listeners.add(
        (before, after) -> {
          throw new IllegalStateException("application bug");
        });
    listeners.add(
        (before, after) -> {
          previous.set(before);
          current.set(after);
          called.countDown();
        });

    listeners.dispatch(tracker.adopt(DOCS.document("core", 3, "{\"seats\":7}"), "replica-a"));

    assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(previous.get()).as("no previous document: null, not an empty snapshot").isNull();
    assertThat(current.get().revision()).isEqualTo(3);
    assertThat(current.get().getInt("seats", -1)).isEqualTo(7);
    assertThat(log.lines())
        .anyMatch(
            l ->
                l.level() == Level.WARNING
                    && l.message().contains("a change listener failed on namespace core")
                    && l.thrown() instanceof IllegalStateException);
  }

  @Test
  void B12_aThrowingStatusListener_doesNotStopTheNextOne_norLaterNotifications()
      throws InterruptedException {
    CountDownLatch twoChanges = new CountDownLatch(2);
    List<Status> seen = new CopyOnWriteArrayList<>();
    listeners.add(
        (String ns, Freshness before, Freshness after) -> {
          throw new IllegalStateException("application bug");
        });
    listeners.add(
        (String ns, Freshness before, Freshness after) -> {
          seen.add(after.status());
          twoChanges.countDown();
        });
    tracker.adopt(DOCS.document("core", 3, "{\"seats\":7}"), "replica-a");

    listeners.dispatch(tracker.fail("replica-a: unreachable"));
    listeners.dispatch(tracker.confirm("replica-b"));

    assertThat(twoChanges.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly(Status.STALE, Status.FRESH);
  }

  @Test
  void aListenerAddedAfterATransitionWasQueued_isToldOnlyOfLaterOnes() {
    List<Runnable> queued = new ArrayList<>();
    try (Listeners held = new Listeners(log, queued::add)) {
      held.dispatch(tracker.adopt(DOCS.document("core", 3, "{\"seats\":7}"), "replica-a"));
      List<Long> revisions = new ArrayList<>();
      held.add((before, after) -> revisions.add(after.revision()));

      runAll(queued);
      assertThat(revisions).as("revision 3 fired before the listener was added").isEmpty();

      held.dispatch(tracker.adopt(DOCS.document("core", 4, "{\"seats\":9}"), "replica-a"));
      runAll(queued);
      assertThat(revisions).containsExactly(4L);
    }
  }

  /** Runs what the listeners handed their executor, including what running it hands over. */
  private static void runAll(List<Runnable> queued) {
    while (!queued.isEmpty()) {
      queued.remove(0).run();
    }
  }

  @Test
  void changeListener_receivesThePreviousDocument_onAnUpdate() throws InterruptedException {
    CountDownLatch updated = new CountDownLatch(2);
    List<Long> previousRevisions = new CopyOnWriteArrayList<>();
    listeners.add(
        (before, after) -> {
          previousRevisions.add(before == null ? -1 : before.revision());
          updated.countDown();
        });

    listeners.dispatch(tracker.adopt(DOCS.document("core", 3, "{\"seats\":7}"), "replica-a"));
    listeners.dispatch(tracker.adopt(DOCS.document("core", 4, "{\"seats\":9}"), "replica-a"));

    assertThat(updated.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(previousRevisions).containsExactly(-1L, 3L);
  }

  @Test
  void I5_aStatusOnlyReadsSaw_isAnnouncedBeforeTheNextOne() throws InterruptedException {
    CountDownLatch both = new CountDownLatch(2);
    List<String> seen = new CopyOnWriteArrayList<>();
    listeners.add(
        (String ns, Freshness before, Freshness after) -> {
          seen.add(before.status() + "->" + after.status());
          both.countDown();
        });
    tracker.adopt(DOCS.document("core", 3, "{\"seats\":7}"), "replica-a");
    time.advance(Duration.ofMinutes(5));
    assertThat(tracker.read().status()).isEqualTo(Status.STALE);

    listeners.dispatch(tracker.confirm("replica-a"));

    assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly("FRESH->STALE", "STALE->FRESH");
  }

  @Test
  void A11_transitionsWithoutChanges_notifyNobody() throws InterruptedException {
    List<String> calls = new CopyOnWriteArrayList<>();
    CountDownLatch marker = new CountDownLatch(1);
    listeners.add((before, after) -> calls.add("change r" + after.revision()));
    listeners.add(
        (String ns, Freshness before, Freshness after) -> {
          calls.add("status " + after.status());
          if (after.status() == Status.STALE) {
            marker.countDown();
          }
        });
    VerifiedDocument document = DOCS.document("core", 3, "{\"seats\":7}");
    listeners.dispatch(tracker.adopt(document, "replica-a"));

    listeners.dispatch(tracker.confirm("replica-a"));
    listeners.dispatch(tracker.tick());
    listeners.dispatch(tracker.adopt(document, "replica-b"));
    listeners.dispatch(tracker.fail("replica-a: unreachable"));

    // Delivery is in order on one thread, so once STALE is seen everything before it was delivered.
    assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(calls).containsExactly("change r3", "status FRESH", "status STALE");
  }
}
