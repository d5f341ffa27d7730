package io.holdfast.server.snapshot;

import io.holdfast.server.schedule.PeriodicTask;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.store.StoreChanges;
import io.holdfast.server.store.StoreState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link EffectiveSnapshot} and keeps it in step with the store.
 *
 * <p>Design: a replica learns of writes made through other replicas by polling the store's newest
 * revision (one indexed read) every {@code interval}; only when it moved does it reload the state
 * and rebuild. A write through this replica calls {@link #refresh()} before it answers, so its own
 * writes are visible at once. Every poll also re-issues the checksums when their freshness
 * statement's period rolled over or a newer key set was published ({@link
 * SnapshotBuilder#reissue}), so a replica with nothing to change still hands out a current
 * statement. If the store fails, the last snapshot keeps being served and the failure is recorded
 * for the readiness probe; the next poll retries.
 *
 * <p>Change signal, for long-polling watchers: {@code changed} holds a future that the next swap
 * completes with the new snapshot and replaces with a fresh one, in that order, after the new
 * snapshot is already visible through {@link #current()}. A watcher takes the future
 * <em>before</em> it looks at the current snapshot ({@link #nextAfter}), so a swap between the two
 * steps is never missed, and it waits on the future with its own timeout: nothing polls, and an
 * idle watcher costs one parked virtual thread. Every swap wakes every watcher; each decides
 * whether the change concerns it and, if not, waits again on the next future. {@link #close()}
 * replaces the future with one that has failed, for good, so waiting watchers return at once and
 * later ones do not wait at all: shutdown never waits out its grace period for them.
 *
 * <p>Instance watchers, the many: {@link #nextChangeFor} keeps one future per watched instance, and
 * a swap completes only those of the instances whose checksums or credential it changed ({@link
 * InstanceView#changed}). A publish that concerns one tenant wakes that tenant's watchers and
 * nobody else's, so a busy tenant costs the others nothing, and ten thousand idle watchers cost a
 * swap one map walk with a comparison each, not ten thousand wake-ups. A burst of publishes
 * coalesces: the swaps are serialised, a woken watcher answers from the newest snapshot it sees,
 * and a watcher that is busy answering when more swaps land sees them all at once on its next look.
 *
 * <p>Incremental: the holder keeps the store state its snapshot was built from, reads only what
 * changed since its revision and renders only the instances concerned (see {@link
 * #refreshHoldingLock}). A burst coalesces: a caller who finds a refresh in progress waits for the
 * lock, and is answered by the first refresh that <em>started</em> after it called, which read the
 * store after the caller's own write (read-your-writes) - so callers queued behind one refresh
 * share the next one instead of each reading the store.
 *
 * <p>Thread-safe. {@link #current()} is a volatile read and never blocks; refreshes are serialised
 * so two callers never build the same snapshot twice. They are serialised by a {@link
 * ReentrantLock}, not a monitor: a refresh reads the store and builds in parallel (about 450 ms at
 * 10,000 instances), on request virtual threads, and a virtual thread blocked while holding a
 * monitor pins its carrier on JDK 21 to 23; a lock lets the waiting ones unmount.
 */
public final class SnapshotHolder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

  private final ConfigStore store;
  private final SnapshotBuilder builder;
  private final Clock clock;
  private final AtomicReference<EffectiveSnapshot> current = new AtomicReference<>();

  /** Completed with the snapshot of the next swap; see the class comment. */
  private final AtomicReference<CompletableFuture<EffectiveSnapshot>> changed =
      new AtomicReference<>(new CompletableFuture<>());

  /**
   * One future per watched instance, completed by the swap that changes it; see the class comment.
   */
  private final ConcurrentHashMap<String, CompletableFuture<EffectiveSnapshot>> instanceChanged =
      new ConcurrentHashMap<>();

  private volatile boolean closed;

  /** Put in place of {@link #changed}'s future by {@link #close()}; failed, never replaced. */
  private final CompletableFuture<EffectiveSnapshot> closedSignal = new CompletableFuture<>();

  private final ReentrantLock refreshLock = new ReentrantLock();

  /** How many refreshes have started reading the store; see {@link #refresh()}. */
  private final AtomicLong refreshesStarted = new AtomicLong();

  /** The number of the last refresh that succeeded, under {@link #refreshLock}. */
  private long lastSucceededStart;

  /** Calls to {@link #refresh()} answered by a refresh that started after they arrived. */
  private final AtomicLong coalesced = new AtomicLong();

  /**
   * The store state {@link #current} was built from, under {@link #refreshLock}; {@code null}
   * before the first build.
   */
  private StoreState mirror;

  /** Incremental refreshes since the last full load, under {@link #refreshLock}. */
  private int incrementalSinceFullLoad;

  /** A full load every so many incremental refreshes bounds what the mirror keeps. */
  static final int FULL_LOAD_EVERY = 1000;

  private volatile Instant lastStoreSuccess;
  private volatile String lastStoreError;
  private volatile Instant storeFailingSince;
  private volatile RefreshTimings lastRefresh;

  /** The newest revision the store reported; -1 before it first answered. */
  private volatile long storeRevision = -1;

  private PeriodicTask poller;

  public SnapshotHolder(ConfigStore store, SnapshotBuilder builder, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.clock = Objects.requireNonNull(clock, "clock");
    closedSignal.completeExceptionally(new IllegalStateException("the snapshot holder is closed"));
  }

  /** The snapshot being served, or {@code null} before the first successful load. */
  public EffectiveSnapshot current() {
    return current.get();
  }

  /**
   * A future that completes with the first snapshot served after {@code seen}: at once if {@link
   * #current()} is already another one, else at the next swap. It fails (with an {@link
   * IllegalStateException} as cause) once the holder is closed, so that waiters return. Wait on it
   * with a timeout; never complete or cancel it: it is shared by every watcher (a copy per caller
   * would stay attached to it until the next swap, however long the caller waited).
   */
  public CompletableFuture<EffectiveSnapshot> nextAfter(EffectiveSnapshot seen) {
    // Future first, snapshot second: a swap in between shows up as a changed snapshot.
    CompletableFuture<EffectiveSnapshot> next = changed.get();
    EffectiveSnapshot now = current.get();
    if (now != seen && next != closedSignal) {
      return CompletableFuture.completedFuture(now);
    }
    return next;
  }

  /**
   * A future that completes with the first snapshot in which instance {@code instance} differs from
   * {@code seen} as a watcher sees it ({@link InstanceView#changed}): at once if {@link #current()}
   * already does, else at the swap that makes it so; swaps that leave the instance alone do not
   * complete it. It fails once the holder is closed. The same rules as {@link #nextAfter}: wait
   * with a timeout, never complete or cancel it (watchers of the same instance share it).
   */
  public CompletableFuture<EffectiveSnapshot> nextChangeFor(
      String instance, EffectiveSnapshot seen) {
    return nextChangeOf(instance, seen == null ? null : seen.instance(instance));
  }

  /**
   * {@link #nextChangeFor} by the instance's view alone ({@code null}: the instance did not exist).
   * For a waiter that lasts: an event stream holds only its instance's view between changes, not
   * the whole snapshot it last saw, which would keep every other instance's documents of that
   * snapshot alive for as long as the stream waits (up to an hour), one old snapshot per quiet
   * stream.
   */
  public CompletableFuture<EffectiveSnapshot> nextChangeOf(String instance, InstanceView seen) {
    if (closed) {
      return closedSignal;
    }
    // Future first, snapshot second, as in nextAfter: a swap in between either finds this future
    // registered or is visible in the snapshot read next.
    CompletableFuture<EffectiveSnapshot> next =
        instanceChanged.computeIfAbsent(instance, i -> new CompletableFuture<>());
    EffectiveSnapshot now = current.get();
    if (InstanceView.changed(seen, now.instance(instance))) {
      return CompletableFuture.completedFuture(now);
    }
    // close() may have run after the first check and missed this future.
    return closed ? closedSignal : next;
  }

  /**
   * How many instances have a future from {@link #nextChangeFor}: watched since their last change,
   * whether or not a watcher still waits (a watcher that timed out leaves it for the next). At most
   * one per instance, and a deleted instance's goes at the swap that removes it.
   */
  public int watchedInstances() {
    return instanceChanged.size();
  }

  /**
   * Brings the snapshot up to the store's newest revision, signed with the builder's current key.
   *
   * @return the snapshot now being served
   * @throws RuntimeException if the store cannot be read; the previous snapshot stays in place
   */
  public EffectiveSnapshot refresh() {
    // Taken before the lock: a refresh that starts after this point reads the store after the
    // caller's own write, so its snapshot serves this caller as well as one of its own would.
    long arrived = refreshesStarted.get();
    refreshLock.lock();
    try {
      EffectiveSnapshot served = current.get();
      if (served != null && lastSucceededStart > arrived) {
        coalesced.incrementAndGet();
        return served;
      }
      lastSucceededStart = refreshHoldingLock(refreshesStarted.incrementAndGet());
      return current.get();
    } finally {
      refreshLock.unlock();
    }
  }

  /**
   * One refresh, the {@code number}th started; returns {@code number} once it succeeded.
   *
   * <p>A replica that holds the state its snapshot was built from ({@link #mirror}) reads only what
   * changed since ({@link ConfigStore#changesSince}) and renders only the instances concerned
   * ({@link SnapshotBuilder#rebuild}); it loads the whole state when it has none, when the store
   * cannot tell what changed, and every {@link #FULL_LOAD_EVERY} refreshes (which also drops the
   * times of revisions nothing refers to any more).
   */
  private long refreshHoldingLock(long number) {
    try {
      EffectiveSnapshot previous = current.get();
      long newest = store.currentRevision();
      storeRevision = newest;
      // A signing key reloaded since the last build re-signs everything, even at the same revision.
      if (previous != null
          && newest == previous.revision()
          && previous.keyId().equals(builder.keyId())) {
        markStoreHealthy();
        // Only after the store answered: a replica cut off from its store stops vouching for its
        // snapshot's freshness, and its statement expires.
        if (!builder.statementCurrent(previous)) {
          reissue(previous);
        }
        return number;
      }
      long started = System.nanoTime();
      StoreState before = mirror;
      Optional<StoreChanges> changes =
          before != null
                  && previous != null
                  && before.revision() == previous.revision()
                  && incrementalSinceFullLoad < FULL_LOAD_EVERY
              ? store.changesSince(before.revision())
              : Optional.empty();
      StoreState state = changes.isPresent() ? before.with(changes.get()) : store.loadState();
      long loaded = System.nanoTime();
      EffectiveSnapshot next =
          changes.isPresent()
              ? builder.rebuild(before, changes.get(), state, previous)
              : builder.build(state, previous);
      long built = System.nanoTime();
      mirror = state;
      incrementalSinceFullLoad = changes.isPresent() ? incrementalSinceFullLoad + 1 : 0;
      swap(next);
      lastRefresh =
          new RefreshTimings(
              Duration.ofNanos(loaded - started),
              Duration.ofNanos(built - loaded),
              Duration.ofNanos(System.nanoTime() - built));
      markStoreHealthy();
      if (previous == null) {
        LOG.info(
            "first snapshot at revision {} with {} instances",
            next.revision(),
            next.instances().size());
      } else {
        LOG.debug(
            "snapshot at revision {} with {} instances", next.revision(), next.instances().size());
      }
      return number;
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      if (!message.equals(lastStoreError)) {
        // Logged once per distinct failure, not once per poll.
        LOG.warn(
            "cannot refresh snapshot from the store; serving revision {}: {}",
            current.get() == null ? "none" : current.get().revision(),
            message);
      }
      if (storeFailingSince == null) {
        storeFailingSince = clock.instant();
      }
      lastStoreError = message;
      throw e;
    }
  }

  /**
   * Serves {@code previous} with checksums issued anew, for a new statement period or key set:
   * every instance's checksums change, so every watcher wakes.
   */
  private EffectiveSnapshot reissue(EffectiveSnapshot previous) {
    long started = System.nanoTime();
    EffectiveSnapshot next = builder.reissue(previous);
    long built = System.nanoTime();
    swap(next);
    lastRefresh =
        new RefreshTimings(
            Duration.ZERO,
            Duration.ofNanos(built - started),
            Duration.ofNanos(System.nanoTime() - built));
    LOG.debug(
        "checksums re-issued at revision {}: statement until {}, key set version {}",
        next.revision(),
        next.validity().expires(),
        next.keySetVersion());
    return next;
  }

  /** Serves {@code next}, then wakes the watchers waiting for a change. */
  private void swap(EffectiveSnapshot next) {
    EffectiveSnapshot previous = current.getAndSet(next);
    for (Map.Entry<String, CompletableFuture<EffectiveSnapshot>> waiting :
        instanceChanged.entrySet()) {
      String instance = waiting.getKey();
      if (InstanceView.changed(
              previous == null ? null : previous.instance(instance), next.instance(instance))
          && instanceChanged.remove(instance, waiting.getValue())) {
        waiting.getValue().complete(next);
      }
    }
    // The update function only allocates, so a retry under contention (with close()) is harmless.
    CompletableFuture<EffectiveSnapshot> fired =
        changed.getAndUpdate(f -> f == closedSignal ? f : new CompletableFuture<>());
    if (fired != closedSignal) {
      fired.complete(next);
    }
  }

  /** Starts polling the store every {@code interval} on a daemon thread. */
  public synchronized void start(Duration interval) {
    if (poller != null) {
      throw new IllegalStateException("already started");
    }
    poller = PeriodicTask.start("holdfast-snapshot-poller", interval, this::pollOnce);
  }

  private void pollOnce() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // Already recorded and logged by refresh(); the next poll retries.
    }
  }

  private void markStoreHealthy() {
    if (lastStoreError != null) {
      LOG.info("store reachable again");
    }
    lastStoreError = null;
    storeFailingSince = null;
    lastStoreSuccess = clock.instant();
  }

  /**
   * How long the last rebuild took, phase by phase: reading the store, building the snapshot, and
   * swapping it in (which wakes the watchers it concerns); {@code null} before the first.
   */
  public RefreshTimings lastRefresh() {
    return lastRefresh;
  }

  /** The phases of one rebuild; see {@link #lastRefresh()}. */
  public record RefreshTimings(Duration load, Duration build, Duration swap) {}

  /**
   * How many calls to {@link #refresh()} were answered by a refresh another caller ran, one that
   * started after they arrived, instead of reading the store themselves.
   */
  public long coalescedRefreshes() {
    return coalesced.get();
  }

  /** How many callers wait for the refresh in progress to end (for tests of coalescing). */
  int refreshesWaiting() {
    return refreshLock.getQueueLength();
  }

  /** The newest revision the store reported when it last answered; -1 if it never did. */
  public long storeRevision() {
    return storeRevision;
  }

  /** When the store last answered, or {@code null} if never. */
  public Instant lastStoreSuccess() {
    return lastStoreSuccess;
  }

  /** When the store started failing, or {@code null} while it answers. */
  public Instant storeFailingSince() {
    return storeFailingSince;
  }

  /** The last store failure, or {@code null} if the last attempt succeeded. */
  public String lastStoreError() {
    return lastStoreError;
  }

  /**
   * Releases every watcher waiting in {@link #nextAfter} or {@link #nextChangeFor}: their futures
   * fail at once, and so do those of later calls. Polling goes on, so a draining replica still
   * serves what the store holds while its watches go elsewhere (issue 23). Idempotent.
   */
  public void releaseWatchers() {
    closed = true;
    changed
        .getAndSet(closedSignal)
        .completeExceptionally(new IllegalStateException("the snapshot holder is closed"));
    for (String instance : instanceChanged.keySet()) {
      CompletableFuture<EffectiveSnapshot> waiting = instanceChanged.remove(instance);
      if (waiting != null) {
        waiting.completeExceptionally(new IllegalStateException("the snapshot holder is closed"));
      }
    }
  }

  /**
   * Stops polling and releases every watcher ({@link #releaseWatchers()}). {@link #current()} and
   * {@link #refresh()} keep working, so requests still in flight are answered. Idempotent.
   */
  @Override
  public void close() {
    releaseWatchers();
    PeriodicTask stopping;
    synchronized (this) {
      stopping = poller;
      poller = null;
    }
    if (stopping != null) {
      // Outside the monitor: the wait is for a poll that may be reading the store.
      stopping.close();
    }
  }
}
