package io.holdfast.client.internal;

import io.holdfast.client.ApplicationHealth;
import io.holdfast.client.ChangeListener;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.FetchListener;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastUnavailableException;
import io.holdfast.client.Status;
import io.holdfast.client.StatusListener;
import io.holdfast.protocol.json.StrictJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything behind a {@code HoldfastClient}: the namespaces' trackers, and the background work
 * that keeps them current (transport, disk cache, sync loop, heartbeats, listener delivery), from
 * {@link #start()} to {@link #close()}. The client's one entry into this package. Thread-safe.
 */
public final class ClientRuntime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.holdfast.client");

  /** Beyond this, a replica's clock is reported as skewed (Kerberos tolerates as much). */
  private static final Duration CLOCK_SKEW_WARNING = Duration.ofMinutes(5);

  private final ClientSettings settings;
  private final String sdkVersion;
  private final Map<String, NamespaceTracker> trackers;
  private final Listeners listeners;
  private final Object freshnessMonitor = new Object();

  /** Set after the sync loop's first cycle: every replica has been asked once. */
  private volatile boolean cycled;

  private final DocumentVerifier verifier;
  private final Replicas replicas;
  private final ClockSkew skew;
  private final Validators validators;
  private final ReadClock readClock;
  private final Supplier<ApplicationHealth> applicationHealth;
  private Transport transport;
  private DiskCache cache;
  private SyncLoop loop;
  private Thread loopThread;

  /** Volatile: read without the lock by health reports, which must never wait for start(). */
  private volatile Heartbeats heartbeats;

  private boolean started;
  private volatile boolean closed;

  /**
   * Starts no thread: the JDK's HTTP client, the listeners' and the heartbeats' threads are made by
   * {@link #start()}.
   *
   * @param applicationHealth what the application last reported, or {@code null}: heartbeats carry
   *     it
   */
  public ClientRuntime(
      ClientSettings settings,
      String sdkVersion,
      SnapshotFactory snapshots,
      Supplier<ApplicationHealth> applicationHealth) {
    this.settings = settings;
    this.applicationHealth = applicationHealth;
    this.sdkVersion = sdkVersion;
    // An injected ticker is driven by hand (tests): reads then read it exactly.
    this.readClock =
        settings.ticker() == SystemTicker.INSTANCE
            ? ReadClock.coarse(settings.ticker())
            : ReadClock.exact(settings.ticker());
    Map<String, NamespaceTracker> byName = new LinkedHashMap<>();
    for (String namespace : settings.namespaces()) {
      byName.put(
          namespace,
          new NamespaceTracker(
              namespace,
              settings.gracePeriod(),
              settings.staleAfter(),
              settings.expiredPolicy(),
              settings.ticker(),
              readClock,
              settings.clock(),
              snapshots,
              LOG));
    }
    this.trackers = Collections.unmodifiableMap(byName);
    this.listeners = new Listeners(LOG, settings.executor());
    this.verifier =
        new DocumentVerifier(
            new SigningTrust(settings.trustedKeys(), settings.trustedRoot(), settings.clock()),
            settings.instance(),
            new StrictJson(settings.maxDocumentBytes(), 64));
    this.replicas = new Replicas(settings.replicas(), settings.ticker());
    this.skew = new ClockSkew(settings.clock(), CLOCK_SKEW_WARNING, LOG);
    this.validators = new Validators(settings.validators(), LOG);
  }

  /** See {@code HoldfastClient.start()}. */
  public void start() {
    synchronized (this) {
      if (started || closed) {
        throw new IllegalStateException(
            closed ? "the client is closed" : "the client is already started");
      }
      started = true;
      // Created here, not in the constructor: the JDK's HTTP client starts a thread.
      transport =
          new Transport(
              settings.connectTimeout(),
              settings.credential(),
              settings.maxDocumentBytes(),
              "holdfast-java/" + sdkVersion,
              settings.sslContext(),
              skew);
      cache =
          settings.cacheDirectory() == null
              ? null
              : DiskCache.open(settings.cacheDirectory(), settings.instance(), LOG);
      KeySetSync keySets =
          new KeySetSync(
              verifier.trust(), transport, cache, trackers, settings.sync().requestTimeout(), LOG);
      if (settings.trustedRoot() != null) {
        // Before the documents: they are verified under the cached key set.
        keySets.restore();
      }
      restoreFromDisk();
      loop =
          SyncLoop.create(
              settings,
              trackers,
              transport,
              verifier,
              keySets,
              skew,
              validators,
              replicas,
              cache,
              listeners,
              LOG,
              this::signalCycle,
              this::heartbeatSoon);
      // Before the loop runs: a document rejected in its first cycle is reported at once.
      Heartbeats beats =
          new Heartbeats(
              settings.instance(),
              trackers,
              replicas,
              transport,
              loop,
              settings.heartbeatInterval(),
              settings.sync().requestTimeout(),
              settings.clock(),
              settings.random(),
              sdkVersion,
              settings.seatsInUse(),
              applicationHealth,
              settings.executor(),
              LOG);
      if (!settings.heartbeatInterval().isZero()) {
        beats.start();
      }
      heartbeats = beats;
      readClock.start();
      loopThread = new Thread(loop, "holdfast-client-sync");
      loopThread.setDaemon(true);
      loopThread.start();
      if (applicationHealth.get() != null) {
        // Reported before start: the server hears of it now, not a heartbeat interval later.
        beats.sendSoon();
      }
    }
    awaitStartup(settings.startupTimeout());
    List<String> missing = new ArrayList<>();
    for (NamespaceTracker tracker : trackers.values()) {
      if (tracker.read().status() == Status.INITIALIZING) {
        missing.add(tracker.namespace() + " (" + tracker.read().freshness().reason() + ")");
      }
    }
    if (!missing.isEmpty() && settings.failWhenUnavailable()) {
      close();
      throw new HoldfastUnavailableException(
          "no replica could be verified within "
              + settings.startupTimeout()
              + " and there is no last-known-good copy for: "
              + String.join(", ", missing));
    }
  }

  private void restoreFromDisk() {
    if (cache == null) {
      return;
    }
    for (NamespaceTracker tracker : trackers.values()) {
      cache
          .load(tracker.namespace())
          .ifPresent(
              stored -> {
                try {
                  VerifiedDocument document =
                      verifier.fromDisk(
                          stored.body(),
                          stored.reprDigest(),
                          stored.signature(),
                          tracker.namespace(),
                          stored.verifiedAt());
                  long highWater = cache.highWaterMark(tracker.namespace());
                  if (document.revision() < highWater) {
                    throw new Rejection(
                        "revision "
                            + document.revision()
                            + " is older than revision "
                            + highWater
                            + ", which this cache held before (rollback)");
                  }
                  listeners.dispatch(
                      tracker.restore(document, stored.verifiedAt(), stored.graceConsumed()));
                } catch (Rejection rejection) {
                  cache.quarantine(
                      tracker.namespace(), "failed verification: " + rejection.getMessage());
                }
              });
    }
  }

  /** The namespace's snapshot, or {@code null} if it is not configured. */
  public ConfigSnapshot read(String namespace) {
    NamespaceTracker tracker = trackers.get(namespace);
    return tracker == null ? null : tracker.read();
  }

  /** The configured namespaces, in configuration order. */
  public List<String> namespaces() {
    return settings.namespaces();
  }

  public Map<String, Freshness> statuses() {
    Map<String, Freshness> statuses = new LinkedHashMap<>();
    trackers.forEach((name, tracker) -> statuses.put(name, tracker.read().freshness()));
    return statuses;
  }

  public Optional<Duration> clockSkew() {
    return skew.estimate();
  }

  public void addChangeListener(ChangeListener listener) {
    listeners.add(listener);
  }

  public void addStatusListener(StatusListener listener) {
    listeners.add(listener);
  }

  public void addFetchListener(FetchListener listener) {
    listeners.add(listener);
  }

  /** Sends a heartbeat as soon as the pacing allows; nothing before start or without heartbeats. */
  public void heartbeatSoon() {
    Heartbeats beats = heartbeats;
    if (beats != null) {
      beats.sendSoon();
    }
  }

  /** Waits until every namespace is FRESH; {@code false} if the timeout passed first. */
  public boolean awaitFresh(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (freshnessMonitor) {
      while (!allFresh()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || closed) {
          return false;
        }
        try {
          freshnessMonitor.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Waits until every namespace is FRESH, or until every replica has been asked once and each
   * namespace at least has its verified disk copy (the seed's rule: start on what was last
   * verified); at most {@code timeout}. Waiting longer for a replica that has just refused would
   * only hold up the application, on a configuration it already has. A namespace with nothing yet
   * keeps start-up waiting for the whole timeout: a replica may come up in time.
   */
  private void awaitStartup(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (freshnessMonitor) {
      while (!allFresh() && !(cycled && noneInitializing())) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || closed) {
          return;
        }
        try {
          freshnessMonitor.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private boolean noneInitializing() {
    for (NamespaceTracker tracker : trackers.values()) {
      if (tracker.read().status() == Status.INITIALIZING) {
        return false;
      }
    }
    return true;
  }

  private boolean allFresh() {
    for (NamespaceTracker tracker : trackers.values()) {
      if (tracker.read().status() != Status.FRESH) {
        return false;
      }
    }
    return true;
  }

  private void signalCycle() {
    cycled = true;
    synchronized (freshnessMonitor) {
      freshnessMonitor.notifyAll();
    }
  }

  /** Stops the background threads and releases the cache directory. Idempotent. */
  @Override
  public void close() {
    Thread thread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      thread = loopThread;
      if (loop != null) {
        loop.stop();
      }
      if (heartbeats != null) {
        heartbeats.close();
      }
    }
    readClock.stop();
    signalCycle();
    if (transport != null) {
      // Abandons a watch the server may hold open for its whole timeout, so the loop ends now.
      transport.close();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    listeners.close();
    if (cache != null) {
      cache.close();
    }
  }
}
