package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.FetchEvent;
import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FetchReporterTest {

  private static final URI REPLICA = URI.create("http://127.0.0.1:7070/");

  private final RecordingLogger log = new RecordingLogger();

  @Test
  void withoutListeners_readsNoClockAndBuildsNoEvent() {
    try (Listeners listeners = new Listeners(log)) {
      FetchReporter reporter = new FetchReporter(listeners);

      assertThat(reporter.active()).isFalse();
      assertThat(reporter.start()).isZero();
      reporter.report(REPLICA, null, Kind.CHECKSUMS, Outcome.UNREACHABLE, "refused", 0L);
      assertThat(listeners.droppedFetchEvents()).isZero();
    }
  }

  @Test
  void unusableAnswer_isUnavailableFor429And5xx_andRejectedOtherwise() throws InterruptedException {
    try (Listeners listeners = new Listeners(log)) {
      BlockingQueue<FetchEvent> events = new LinkedBlockingQueue<>();
      listeners.add(events::add);
      FetchReporter reporter = new FetchReporter(listeners);

      for (int status : new int[] {429, 500, 503, 401, 404}) {
        reporter.reportUnusable(
            REPLICA, "core", Kind.DOCUMENT, status, "HTTP " + status, reporter.start());
      }

      for (Outcome expected :
          new Outcome[] {
            Outcome.UNAVAILABLE,
            Outcome.UNAVAILABLE,
            Outcome.UNAVAILABLE,
            Outcome.REJECTED,
            Outcome.REJECTED
          }) {
        FetchEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event.outcome()).as(event.reason()).isEqualTo(expected);
        assertThat(event.duration().isNegative()).isFalse();
      }
    }
  }

  @Test
  void B12_aListenerThatBlocks_boundsTheQueue_dropsTheRest_andWarnsOnce()
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    try (Listeners listeners = new Listeners(log)) {
      listeners.add(
          event -> {
            entered.countDown();
            delivered.incrementAndGet();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      FetchEvent event =
          new FetchEvent(REPLICA, null, Kind.WATCH, Outcome.NOT_MODIFIED, "current", Duration.ZERO);
      listeners.dispatch(event);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      for (int i = 0; i < Listeners.MAX_QUEUED_FETCH_EVENTS + 50; i++) {
        listeners.dispatch(event);
      }
      release.countDown();

      assertThat(listeners.droppedFetchEvents()).isEqualTo(50);
      assertThat(log.lines()).filteredOn(l -> l.message().contains("not keeping up")).hasSize(1);
    }
    // close() waited for the queue to drain: the first event and every one that was queued.
    assertThat(delivered).hasValue(1 + Listeners.MAX_QUEUED_FETCH_EVENTS);
  }
}
