package io.holdfast.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.FailingStore;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.metrics.ServerMetrics;
import io.holdfast.server.snapshot.SnapshotBuilder;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.JdbcConfigStore;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A failure that a periodic read catches to stay alive (a gauge's fleet view, the subscription
 * figures) leaves a log line: the first of a streak with its stack trace, then at most one line per
 * interval with a count, and one line when it works again. Driven by a manual clock.
 */
class FailureStreakTest {

  @TempDir Path directory;

  private final ManualTime time = new ManualTime();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Logger captured;
  private Level capturedLevel;

  private Logger capture(Class<?> type) {
    captured = (Logger) LoggerFactory.getLogger(type);
    capturedLevel = captured.getLevel();
    captured.setLevel(
        Level.INFO); // the recovery line is INFO; the tests' configuration may be quieter
    lines.start();
    captured.addAppender(lines);
    return captured;
  }

  @AfterEach
  void release() {
    if (captured != null) {
      captured.detachAppender(lines);
      captured.setLevel(capturedLevel);
    }
  }

  private List<String> messages() {
    return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void aStreak_isLoggedOnceWithItsTrace_thenOncePerInterval_andItsEndOnce() {
    FailureStreak streak =
        new FailureStreak(
            capture(FailureStreakTest.class),
            "reading the thing",
            Duration.ofMinutes(1),
            time.clock());

    streak.failed(new IllegalStateException("store down"));
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(5));
      streak.failed(new IllegalStateException("store down"));
    }
    time.advance(Duration.ofMinutes(1));
    streak.failed(new IllegalStateException("still down"));
    streak.succeeded();
    streak.succeeded();

    assertThat(messages())
        .containsExactly(
            "WARN reading the thing failed; it is retried, and repeats are logged at most every 60 s",
            "WARN reading the thing still failing (6 more failures since the last line): still down",
            "INFO reading the thing works again after 7 failures");
    assertThat(lines.list.get(0).getThrowableProxy().getMessage()).isEqualTo("store down");
  }

  @Test
  void aNewStreak_afterRecovery_isLoggedWithItsTraceAgain() {
    FailureStreak streak =
        new FailureStreak(
            capture(FailureStreakTest.class), "reading", Duration.ofMinutes(1), time.clock());
    streak.failed(new IllegalStateException("first"));
    streak.succeeded();

    streak.failed(new IllegalStateException("second"));

    assertThat(lines.list).hasSize(3);
    assertThat(lines.list.get(2).getLevel()).isEqualTo(Level.WARN);
    assertThat(lines.list.get(2).getThrowableProxy().getMessage()).isEqualTo("second");
  }

  @Test
  void fleetGauges_aFailingStore_isLoggedOncePerStreak_notOncePerScrape() throws Exception {
    JdbcConfigStore jdbc =
        new JdbcConfigStore(
            Database.open("jdbc:sqlite:" + directory.resolve("holdfast.db"), Duration.ofSeconds(5)),
            time.clock());
    FailingStore store = new FailingStore(jdbc);
    try {
      SnapshotHolder snapshots =
          new SnapshotHolder(
              store,
              new SnapshotBuilder(
                  new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()),
                  time.clock()),
              time.clock());
      snapshots.refresh();
      Fleet fleet =
          new Fleet(store, snapshots, time.clock(), Duration.ofMinutes(3), Duration.ofSeconds(1));
      capture(Fleet.class);
      store.down.set(true);

      for (int scrape = 0; scrape < 10; scrape++) {
        fleet.recentView();
        time.advance(Duration.ofSeconds(4)); // past maxAge: every scrape tries the store again
      }
      store.down.set(false);
      assertThat(fleet.recentView()).isNotNull();

      assertThat(messages())
          .containsExactly(
              "WARN reading the fleet for its metrics failed; it is retried, and repeats are logged at most every 30 s",
              "WARN reading the fleet for its metrics still failing (8 more failures since the last line): "
                  + "injected failure: store.down",
              "INFO reading the fleet for its metrics works again after 10 failures");
    } finally {
      jdbc.close();
    }
  }

  @Test
  void subscriptionMetrics_aFailingRecomputation_isLogged_andTheScrapeStillAnswers() {
    try (ServerMetrics metrics = new ServerMetrics(time.clock())) {
      metrics.bindSubscriptions(
          () -> {
            throw new IllegalStateException("usage report broke");
          });
      capture(ServerMetrics.class);

      String scraped = metrics.scrape();

      assertThat(scraped).contains("jvm_");
      assertThat(messages())
          .containsExactly(
              "WARN recomputing the subscription metrics failed; it is retried, and repeats are logged at most every 60 s");
      assertThat(lines.list.get(0).getThrowableProxy().getMessage())
          .isEqualTo("usage report broke");
    }
  }
}
