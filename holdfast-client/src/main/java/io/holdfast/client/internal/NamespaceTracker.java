package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Freshness;
import io.holdfast.client.Status;
import io.holdfast.client.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One namespace's last-known-good document and its freshness: the state machine of the client.
 *
 * <p>Design memo. The last-known-good (LKG) document is replaced only by a newer (or equal)
 * verified document: a failure of any kind changes the status and the reason, never the content
 * (DESIGN invariant 1). The grace period counts on the monotonic {@link Ticker} from the last
 * successful verification, so wall-clock jumps cannot shorten or extend it; after a restart it
 * continues from what the disk copy recorded instead of starting again. Status is re-evaluated by
 * every event and, for the passage of time alone, on read: a read compares the ticker with two
 * precomputed deadlines (stale-at and expire-at) and only takes the lock when one has passed, so
 * the common read is a few volatile loads and no allocation (invariant I6). Reads take the time
 * from a {@link ReadClock}, a coarse reading that a thread of the client advances, and check the
 * real clock only near a deadline (or when that thread stalls), which keeps a read cheaper than one
 * {@link Ticker#read()} without ever reporting a deadline late (issue 21).
 *
 * <p>Thread-safe: events are synchronized on this tracker; reads are lock-free. Listener
 * notification is returned as a {@link Transition} for the caller to dispatch outside the lock.
 */
final class NamespaceTracker {

  private static final long NONE = Long.MIN_VALUE;
  private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

  /**
   * What an event changed, for listeners; both halves may be unchanged. {@code passedThrough}, if
   * not {@code null}, is a status that reads already saw between {@code previous} and {@code
   * current} (a deadline passed on a read, then an event moved on before the loop announced it):
   * listeners are told of it first, so that no status served goes unannounced (I5, I12).
   */
  public record Transition(
      ConfigSnapshot previous,
      ConfigSnapshot current,
      boolean contentChanged,
      boolean statusChanged,
      ConfigSnapshot passedThrough) {

    public Transition(
        ConfigSnapshot previous,
        ConfigSnapshot current,
        boolean contentChanged,
        boolean statusChanged) {
      this(previous, current, contentChanged, statusChanged, null);
    }
  }

  private final String namespace;
  private final Duration grace;
  private final Duration staleAfter;
  private final ExpiredPolicy expiredPolicy;
  private final Ticker ticker;
  private final ReadClock readClock;
  private final Clock clock;
  private final SnapshotFactory snapshots;
  private final System.Logger log;

  private VerifiedDocument lkg;
  private long lastVerifiedTick;
  private Instant lastVerifiedWall;
  private String problem = "waiting for the first document";
  private boolean unconfirmedSinceRestart;

  /**
   * The held revision was vouched for by a key a recovery marker voided (FAULTS D13): it sets no
   * floor, and the next verified document is adopted whatever its revision.
   */
  private boolean floorVoided;

  private volatile ConfigSnapshot served;

  /** The snapshot listeners were last told about; reads may move {@code served} past it. */
  private ConfigSnapshot notified;

  /** A status change made by a read and not announced yet, or {@code null}. */
  private ConfigSnapshot unannounced;

  private volatile long staleAt = NONE;
  private volatile long expireAt = NONE;

  NamespaceTracker(
      String namespace,
      Duration grace,
      Duration staleAfter,
      ExpiredPolicy expiredPolicy,
      Ticker ticker,
      Clock clock,
      SnapshotFactory snapshots,
      System.Logger log) {
    this(
        namespace,
        grace,
        staleAfter,
        expiredPolicy,
        ticker,
        ReadClock.exact(ticker),
        clock,
        snapshots,
        log);
  }

  /**
   * @param readClock the time reads judge freshness by, a cheaper reading of {@code ticker}; events
   *     always use {@code ticker} itself
   */
  NamespaceTracker(
      String namespace,
      Duration grace,
      Duration staleAfter,
      ExpiredPolicy expiredPolicy,
      Ticker ticker,
      ReadClock readClock,
      Clock clock,
      SnapshotFactory snapshots,
      System.Logger log) {
    this.readClock = readClock;
    this.namespace = namespace;
    this.grace = grace;
    this.staleAfter = staleAfter;
    this.expiredPolicy = expiredPolicy;
    this.ticker = ticker;
    this.clock = clock;
    this.snapshots = snapshots;
    this.log = log;
    this.served =
        snapshots.create(
            namespace,
            0,
            null,
            EMPTY,
            new Freshness(Status.INITIALIZING, clock.instant(), problem, null, grace));
    this.notified = served;
  }

  public String namespace() {
    return namespace;
  }

  /** The snapshot to serve now; never blocks on I/O, never throws. */
  public ConfigSnapshot read() {
    long stale = staleAt;
    long expire = expireAt;
    long now = readClock.read();
    long slack = readClock.slackNanos();
    if (due(stale, now + slack) || due(expire, now + slack)) {
      // Close to a deadline, or past it: the coarse reading may lag, so judge by the real clock.
      now = readClock.exact();
    }
    if (due(stale, now) || due(expire, now)) {
      synchronized (this) {
        Status before = served.status();
        reevaluate(now);
        if (served.status() != before) {
          unannounced = served;
        }
      }
    }
    return served;
  }

  private static boolean due(long deadline, long now) {
    return deadline != NONE && now - deadline >= 0;
  }

  /** The held document, or {@code null}. */
  public synchronized VerifiedDocument lastKnownGood() {
    return lkg;
  }

  /** The held document's entity tag, or {@code null}. */
  public synchronized String etag() {
    return lkg == null ? null : lkg.etag();
  }

  /** How much of the grace period is used, on the monotonic clock; zero without a document. */
  public synchronized Duration graceConsumed() {
    return lkg == null
        ? Duration.ZERO
        : Duration.ofNanos(Math.max(0, ticker.read() - lastVerifiedTick));
  }

  /** The grace left now, on the monotonic clock: the whole period before the first document. */
  public synchronized Duration graceRemaining() {
    if (lkg == null) {
      return grace;
    }
    long left = grace.toNanos() - (ticker.read() - lastVerifiedTick);
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  public synchronized Instant lastVerifiedAt() {
    return lastVerifiedWall;
  }

  /**
   * Checks a verified document against the held one: refuses a lower revision (rollback, FAULTS
   * A16, D10) and the same revision with other content (equivocation, A17).
   *
   * @return a reason to refuse it, or {@code null} if it may be adopted
   */
  public synchronized String refusal(VerifiedDocument candidate) {
    if (lkg == null || floorVoided) {
      return null;
    }
    if (candidate.revision() < lkg.revision()) {
      return "revision "
          + candidate.revision()
          + " is older than the held revision "
          + lkg.revision()
          + " (rollback)";
    }
    if (candidate.revision() == lkg.revision() && !candidate.etag().equals(lkg.etag())) {
      return "revision "
          + candidate.revision()
          + " was served with different content (equivocation)";
    }
    return null;
  }

  /** A verified document became the last-known-good one. The caller checked {@link #refusal}. */
  public synchronized Transition adopt(VerifiedDocument document, String source) {
    VerifiedDocument previous = lkg;
    lkg = document;
    floorVoided = false;
    verified(source);
    reevaluate(ticker.read());
    return transition(previous == null || !previous.etag().equals(document.etag()));
  }

  /**
   * A verified document became the last-known-good one, but nothing vouches that it is current (the
   * newest freshness statement expired, FAULTS D11): it is served STALE with {@code reason}, and
   * grace keeps running from the last confirmation. The first document of all starts grace, as
   * {@link #adopt} does. The caller checked {@link #refusal}.
   */
  public synchronized Transition adoptUnconfirmed(VerifiedDocument document, String reason) {
    VerifiedDocument previous = lkg;
    lkg = document;
    floorVoided = false;
    if (previous == null) {
      verified(null);
    }
    problem = reason;
    reevaluate(ticker.read());
    return transition(previous == null || !previous.etag().equals(document.etag()));
  }

  /** A recovery marker voided the key that signed the held document: its revision is no floor. */
  public synchronized void voidFloor() {
    if (lkg != null) {
      floorVoided = true;
    }
  }

  /** A replica confirmed that the held document is current. */
  public synchronized Transition confirm(String source) {
    verified(source);
    reevaluate(ticker.read());
    return transition(false);
  }

  /** Confirmation failed; the held document stays. */
  public synchronized Transition fail(String reason) {
    problem = reason;
    reevaluate(ticker.read());
    return transition(false);
  }

  /** Re-evaluates for the passage of time alone (grace running out, no confirmation). */
  public synchronized Transition tick() {
    reevaluate(ticker.read());
    return transition(false);
  }

  /**
   * Restores a verified copy from disk at start-up. Grace continues from what was used when it was
   * written, or from the wall-clock time since its last verification if that is more; a wall clock
   * set backwards cannot give grace back.
   */
  public synchronized Transition restore(
      VerifiedDocument document, Instant verifiedAt, Duration consumedWhenSaved) {
    Duration sinceVerified = Duration.between(verifiedAt, clock.instant());
    Duration consumed =
        sinceVerified.compareTo(consumedWhenSaved) > 0 ? sinceVerified : consumedWhenSaved;
    // Neither value is signed: a damaged cache file may hold any time. Past the grace period all
    // values mean EXPIRED (and would overflow toNanos()); below zero none may give grace back.
    if (consumed.compareTo(grace) > 0) {
      consumed = grace;
    } else if (consumed.isNegative()) {
      consumed = Duration.ZERO;
    }
    lkg = document;
    lastVerifiedTick = ticker.read() - consumed.toNanos();
    lastVerifiedWall = verifiedAt;
    unconfirmedSinceRestart = true;
    problem = "loaded from the disk cache; not yet confirmed by a replica";
    reevaluate(ticker.read());
    return transition(true);
  }

  private Transition transition(boolean contentChanged) {
    ConfigSnapshot before = notified;
    ConfigSnapshot passed =
        unannounced != null
                && unannounced.status() != before.status()
                && unannounced.status() != served.status()
            ? unannounced
            : null;
    unannounced = null;
    notified = served;
    return new Transition(
        before, served, contentChanged, before.status() != served.status(), passed);
  }

  private void verified(String source) {
    lastVerifiedTick = ticker.read();
    lastVerifiedWall = clock.instant();
    unconfirmedSinceRestart = false;
    problem = null;
  }

  private ConfigSnapshot reevaluate(long now) {
    ConfigSnapshot before = served;
    Status status;
    String reason;
    Duration remaining;
    if (lkg == null) {
      status = Status.INITIALIZING;
      reason = problem == null ? "waiting for the first document" : problem;
      remaining = grace;
      staleAt = NONE;
      expireAt = NONE;
    } else {
      long consumed = now - lastVerifiedTick;
      remaining = Duration.ofNanos(Math.max(0, grace.toNanos() - consumed));
      if (consumed >= grace.toNanos()) {
        status = Status.EXPIRED;
        reason =
            "grace period of "
                + grace
                + " used up; last problem: "
                + (problem == null ? "none" : problem);
        staleAt = NONE;
        expireAt = NONE;
      } else if (problem != null || unconfirmedSinceRestart || consumed >= staleAfter.toNanos()) {
        status = Status.STALE;
        reason =
            problem != null
                ? problem
                : "not confirmed for " + Duration.ofNanos(consumed).toSeconds() + " s";
        staleAt = NONE;
        expireAt = lastVerifiedTick + grace.toNanos();
      } else {
        status = Status.FRESH;
        reason = "verified";
        staleAt = lastVerifiedTick + staleAfter.toNanos();
        expireAt = lastVerifiedTick + grace.toNanos();
      }
    }
    boolean statusChanged =
        status != before.status() || !reason.equals(before.freshness().reason());
    Instant since = status != before.status() ? clock.instant() : before.freshness().since();
    Freshness freshness = new Freshness(status, since, reason, lastVerifiedWall, remaining);
    JsonNode content =
        lkg == null || (status == Status.EXPIRED && expiredPolicy == ExpiredPolicy.USE_DEFAULTS)
            ? EMPTY
            : lkg.envelope().content();
    served =
        snapshots.create(
            namespace,
            lkg == null ? 0 : lkg.revision(),
            lkg == null ? null : lkg.etag(),
            content,
            freshness);
    if (status != before.status()) {
      // Logged once per transition, never per attempt: no log storms during an outage.
      log.log(
          status == Status.FRESH ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          "namespace {0}: {1} -> {2} ({3})",
          namespace,
          before.status(),
          status,
          reason);
    } else if (statusChanged && status != Status.FRESH) {
      log.log(
          System.Logger.Level.DEBUG, "namespace {0}: still {1} ({2})", namespace, status, reason);
    }
    return served;
  }
}
