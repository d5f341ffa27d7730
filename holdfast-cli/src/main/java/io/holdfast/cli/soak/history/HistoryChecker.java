package io.holdfast.cli.soak.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Checks a soak history against the properties of issue 20, event by event, holding only what the
 * checks need: it can run alongside the {@link HistoryRecorder} (as one of its listeners) or over a
 * history file afterwards, with the same verdict.
 *
 * <p>Each property is one {@link HistoryCheck}: {@link ServedAfterHealCheck}, {@link
 * MonotonicRevisionCheck}, {@link AdoptedContentCheck}, {@link SeatLimitCheck}, {@link
 * SeatHolderCheck}, {@link ApplicationErrorCheck}, {@link TenantCheck} and {@link
 * FreshAfterHealCheck}. Thread-safe; {@link #finish} once, after the last event.
 */
public final class HistoryChecker implements Consumer<SoakEvent> {

  private final Violations violations = new Violations();
  private final Acknowledgements acknowledgements = new Acknowledgements();
  private final OperationCounter counter = new OperationCounter();
  private final RecoveryTracker recovery = new RecoveryTracker();
  private final List<HistoryCheck> checks;
  private final Duration freshBound;

  // Guarded by "this".
  private long seed;
  private long lastNanos;
  private boolean finished;

  private HistoryChecker(Duration freshBound) {
    this.freshBound = freshBound;
    this.checks =
        List.of(
            new ServedAfterHealCheck(acknowledgements),
            new MonotonicRevisionCheck(),
            new AdoptedContentCheck(acknowledgements),
            new SeatLimitCheck(),
            new SeatHolderCheck(),
            new ApplicationErrorCheck(),
            new TenantCheck(),
            new FreshAfterHealCheck(freshBound));
  }

  /**
   * @param freshBound how soon after the final heal every client must be FRESH
   */
  public static HistoryChecker create(Duration freshBound) {
    Objects.requireNonNull(freshBound, "freshBound");
    if (freshBound.isNegative()) {
      throw new IllegalArgumentException("freshBound must not be negative: " + freshBound);
    }
    return new HistoryChecker(freshBound);
  }

  /** Checks a whole history. */
  public static SoakSummary check(History history, Duration freshBound) {
    HistoryChecker checker = create(freshBound);
    checker.accept(history.header());
    history.events().forEach(checker);
    return checker.finish();
  }

  /**
   * Checks a history file without holding it.
   *
   * @throws IllegalArgumentException if the file is missing or not a history
   */
  public static SoakSummary check(Path file, Duration freshBound) {
    HistoryChecker checker = create(freshBound);
    HistoryFile.forEach(file, checker);
    return checker.finish();
  }

  /** Takes the next event, in recorded order. */
  @Override
  public synchronized void accept(SoakEvent event) {
    if (finished) {
      throw new IllegalStateException("the checker has finished; not checked: " + event);
    }
    if (event instanceof SoakHeader header) {
      seed = header.seed();
    }
    if (event.nanos() < lastNanos) {
      violations.reportOnce(
          ViolationKind.INCOMPLETE_HISTORY,
          "order",
          event.nanos(),
          "runner",
          "events are out of time order: " + event + " after soak time " + lastNanos);
    }
    lastNanos = Math.max(lastNanos, event.nanos());
    acknowledgements.accept(event, violations);
    counter.accept(event);
    recovery.accept(event);
    for (HistoryCheck check : checks) {
      check.accept(event, violations);
    }
  }

  /** Judges what needs the whole history and sums up. */
  public synchronized SoakSummary finish() {
    if (finished) {
      throw new IllegalStateException("the checker has already finished");
    }
    finished = true;
    for (HistoryCheck check : checks) {
      check.finish(lastNanos, violations);
    }
    List<Violation> found =
        violations.kept().stream().sorted(Comparator.comparingLong(Violation::nanos)).toList();
    return new SoakSummary(
        seed,
        lastNanos,
        freshBound,
        counter.operations(),
        counter.faults(),
        violations.counts(),
        found,
        recovery.finish());
  }
}
