package io.holdfast.client.internal;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.Ticker;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client's one background loop: asks replicas whether anything changed, fetches what did,
 * verifies it and hands it to the trackers; fails over between replicas; backs off with jitter
 * when all of them fail.
 *
 * <p>Design memo. A cycle walks the replicas in preference order until every namespace has been
 * confirmed or adopted. It first asks for the instance's signed checksums, through the long-poll
 * watch when the checksums are already known (the server answers 304 after the watch timeout
 * if nothing changed), or through a plain GET at least every poll interval, so a watch that
 * silently stalls can never leave the client stale for longer than that (FAULTS A21). Namespaces
 * whose ETag differs are fetched with {@code If-None-Match}. If the checksums cannot be had or
 * verified (the incident: FAULTS A9), each namespace is fetched conditionally instead: the
 * configuration keeps flowing and the problem is reported. A namespace becomes STALE only when
 * every replica failed it in a cycle, so a failover that works costs no staleness (A1). Every
 * failure keeps the last-known-good document; only a verified, not older document replaces it.
 *
 * <p>A document that passed every check then goes to the application's validator, if the
 * namespace has one. One it rejects is not adopted; the namespace fails with the application's
 * reason, but the replica did its job, so it is neither demoted nor retried in a backoff loop.
 * The rejected ETag is remembered: while the replica still lists it, the namespace stays failed
 * without downloading the document again before the poll interval has passed (then it is tried
 * once more, in case the validator's verdict depends on something that changed), and a watch on
 * those checksums may wait for the next change. Any other document is fetched at once, and
 * adopting or confirming any document ends the rejection. Nothing about a rejected revision is
 * recorded for the rollback check, so a fix published as a newer revision is adopted.
 *
 * <p>Runs on one daemon thread; {@link #stop()} ends it promptly.
 */
public final class SyncLoop implements Runnable {

  private final String instance;
  private final List<String> namespaces;
  private final Map<String, NamespaceTracker> trackers;
  private final Transport transport;
  private final DocumentVerifier verifier;
  private final Replicas replicas;
  private final DiskCache cache; // null: memory only
  private final Listeners listeners;
  private final FetchReporter events;
  private final SyncSettings settings;
  private final Ticker ticker;
  private final Clock clock;
  private final System.Logger log;
  private final Backoff backoff;
  private final Random random;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Runnable onCycle;
  private final Map<String, Long> lastSaved = new HashMap<>();
  private final Validators validators;
  /** Told when the application rejects a document it had not rejected before; must not block. */
  private final Runnable onRejection;
  /** Per namespace, the document the application rejected, while no other was adopted or confirmed. */
  private final Map<String, RejectedDocument> rejected = new HashMap<>();

  private String checksumsEtag;
  /** The last watch came back early with nothing new: do not ask again at once. */
  private boolean watchAnsweredEarly;
  private long lastFullPoll = Long.MIN_VALUE;
  private boolean watchSupported;
  private volatile String lastError;
  private volatile Instant lastSuccess;
  private String lastChecksumsProblem;

  /** A document the application rejected: its ETag, the reason, and when (on the ticker). */
  private record RejectedDocument(String etag, String reason, long at) {}

  /**
   * @param onRejection told, on the loop's thread, when the application rejects a document it
   *     had not rejected before; must not block
   */
  public SyncLoop(String instance, List<String> namespaces, Map<String, NamespaceTracker> trackers, Transport transport,
      DocumentVerifier verifier, Validators validators, Replicas replicas, DiskCache cache, Listeners listeners,
      SyncSettings settings, Ticker ticker, Clock clock, Random random, System.Logger log, Runnable onCycle,
      Runnable onRejection) {
    this.instance = instance;
    this.namespaces = List.copyOf(namespaces);
    this.trackers = trackers;
    this.transport = transport;
    this.verifier = verifier;
    this.validators = validators;
    this.onRejection = onRejection;
    this.replicas = replicas;
    this.cache = cache;
    this.listeners = listeners;
    this.events = new FetchReporter(listeners);
    this.settings = settings;
    this.ticker = ticker;
    this.clock = clock;
    this.random = random;
    this.log = log;
    this.onCycle = onCycle;
    this.watchSupported = settings.watch();
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap(), settings.maxRetryAfter(), random);
  }

  /** A replica failed as a whole for this cycle: unreachable, overloaded, or erroring. */
  private static final class ReplicaFailure extends Exception {
    final Duration retryAfter;

    ReplicaFailure(String reason, Duration retryAfter) {
      super(reason);
      this.retryAfter = retryAfter;
    }
  }

  @Override
  public void run() {
    while (stopped.getCount() > 0) {
      Duration wait;
      try {
        wait = cycle();
      } catch (RuntimeException e) {
        // A bug must not kill the loop: the client would then go stale silently.
        log.log(Level.ERROR, "sync cycle failed unexpectedly", e);
        lastError = "internal error: " + e;
        wait = backoff.next(null);
      }
      for (NamespaceTracker tracker : trackers.values()) {
        listeners.dispatch(tracker.tick());
        persistIfDue(tracker, false);
      }
      onCycle.run();
      if (!wait.isZero()) {
        try {
          if (stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Ends the loop; a cycle in progress finishes its current request first. */
  public void stop() {
    stopped.countDown();
  }

  public String lastError() {
    return lastError;
  }

  public Instant lastSuccess() {
    return lastSuccess;
  }

  /** One cycle; returns how long to wait before the next. */
  Duration cycle() {
    Set<String> pending = new LinkedHashSet<>(namespaces);
    Map<String, String> reasons = new LinkedHashMap<>();
    Duration retryAfter = null;
    List<URI> order = replicas.order();
    for (URI replica : order) {
      if (stopped.getCount() == 0) {
        return Duration.ZERO;
      }
      try {
        syncWith(replica, pending, reasons);
        if (pending.isEmpty()) {
          replicas.success(replica);
          break;
        }
        replicas.failure(replica);
      } catch (ReplicaFailure failure) {
        replicas.failure(replica);
        for (String namespace : pending) {
          addReason(reasons, namespace, replica + ": " + failure.getMessage());
        }
        if (failure.retryAfter != null) {
          retryAfter = failure.retryAfter;
        }
      }
    }
    if (pending.isEmpty()) {
      backoff.reset();
      lastSuccess = clock.instant();
      if (lastChecksumsProblem == null) {
        lastError = null;
      }
      // With a usable watch the next request itself waits for a change; otherwise poll.
      boolean watchNext = watchSupported && checksumsEtag != null && !watchAnsweredEarly;
      return watchNext ? Duration.ZERO : jittered(settings.pollInterval());
    }
    if (stopped.getCount() == 0) {
      // Closing interrupted the requests: that is no replica's failure.
      return Duration.ZERO;
    }
    for (String namespace : pending) {
      String reason = reasons.getOrDefault(namespace, "no replica answered");
      listeners.dispatch(trackers.get(namespace).fail(reason + (order.size() > 1 ? " (all " + order.size() + " replicas tried)" : "")));
      lastError = reason;
    }
    return backoff.next(retryAfter);
  }

  /**
   * Brings as many pending namespaces as possible up to date from one replica.
   */
  private void syncWith(URI replica, Set<String> pending, Map<String, String> reasons) throws ReplicaFailure {
    boolean allHeld = pending.stream().allMatch(ns -> trackers.get(ns).etag() != null);
    boolean pollDue = lastFullPoll == Long.MIN_VALUE || ticker.read() - lastFullPoll >= settings.pollInterval().toNanos();
    boolean useWatch = watchSupported && checksumsEtag != null && allHeld && !pollDue;
    String watchedEtag = useWatch ? checksumsEtag : null;
    long watchStarted = System.nanoTime();
    long started = events.start();
    watchAnsweredEarly = false;
    Transport.Response response = null;
    try {
      if (useWatch) {
        URI watch = replica.resolve("/v1/instances/" + instance + "/watch?etag=" + encode(checksumsEtag)
            + "&timeout=" + settings.watchTimeout().toMillis() + "ms");
        response = transport.get(watch, settings.watchTimeout().plus(settings.requestTimeout()));
        // A replica holds a watch until something changes or the timeout passes. One that
        // answers "nothing new" at once (a replayed or duplicated event, FAULTS A22, or a
        // middlebox, A23) must not turn the loop into a hot loop. Real time on purpose: this
        // paces requests, it measures no grace.
        boolean early = System.nanoTime() - watchStarted < settings.watchTimeout().toNanos() / 2;
        if (response.status() == 404 && isRouteMissing(response)) {
          log.log(Level.INFO, "replica {0} has no watch endpoint; polling checksums instead", replica);
          events.report(replica, null, Kind.WATCH, Outcome.REJECTED, "no watch endpoint", started);
          watchSupported = false;
          useWatch = false;
        } else if (response.status() == 200 && early
            && weaklyEqual(ContentHash.of(response.body()).entityTag().toHeaderValue(), watchedEtag)) {
          watchAnsweredEarly = true;
        } else if (response.status() == 304) {
          if (weaklyEqual(response.header("ETag"), checksumsEtag)) {
            events.report(replica, null, Kind.WATCH, Outcome.NOT_MODIFIED, "the held checksums are current", started);
            watchAnsweredEarly = early;
            for (String namespace : List.copyOf(pending)) {
              RejectedDocument standing = rejected.get(namespace);
              if (standing == null) {
                confirm(namespace, replica);
              } else {
                // The checksums watched list the rejected document (see "consistent" below).
                listeners.dispatch(trackers.get(namespace).fail(standing.reason()));
              }
              pending.remove(namespace);
            }
            return;
          }
          // A 304 for a tag the client does not hold confirms nothing (FAULTS A12), but an
          // intermediary rewriting tags (A11, A23) must not fail the replica: ask in full.
          events.report(replica, null, Kind.WATCH, Outcome.REJECTED, "304 for checksums not held", started);
          useWatch = false;
        }
      }
      if (!useWatch) {
        started = events.start();
        response = transport.get(replica.resolve("/v1/instances/" + instance + "/checksums"), settings.requestTimeout());
        lastFullPoll = ticker.read();
      }
    } catch (Transport.TransportException e) {
      if (stopped.getCount() > 0) { // closing abandons the requests: no replica's failure, nothing to count
        events.report(replica, null, useWatch ? Kind.WATCH : Kind.CHECKSUMS, Outcome.UNREACHABLE, e.getMessage(), started);
      }
      throw new ReplicaFailure("unreachable: " + e.getMessage(), null);
    }
    Kind kind = useWatch ? Kind.WATCH : Kind.CHECKSUMS;
    Checksums checksums = null;
    String problem = null;
    try {
      checksums = verifier.checksums(response);
    } catch (Rejection rejection) {
      problem = "checksums from " + replica + " unusable: " + rejection.getMessage();
      events.reportUnusable(replica, null, kind, response.status(), rejection.getMessage(), started);
    }
    if (checksums == null) {
      // The incident (FAULTS A9): without checksum data, fetch each document conditionally.
      if (!problem.equals(lastChecksumsProblem)) {
        log.log(Level.WARNING, "{0}; fetching documents directly", problem);
      }
      lastChecksumsProblem = problem;
      lastError = problem;
      checksumsEtag = null;
      for (String namespace : List.copyOf(pending)) {
        if (stopped.getCount() == 0) {
          return;
        }
        fetch(replica, namespace, pending, reasons, false);
      }
      return;
    }
    if (lastChecksumsProblem != null) {
      log.log(Level.INFO, "checksums from {0} are usable again", replica);
      lastChecksumsProblem = null;
    }
    if (events.active()) {
      Map<String, Checksums.Entry> entries = checksums.namespaces();
      boolean current = pending.stream().allMatch(ns -> entries.get(ns) != null
          && weaklyEqual(entries.get(ns).etag(), trackers.get(ns).etag()));
      events.report(replica, null, kind, current ? Outcome.CONFIRMED : Outcome.ADOPTED,
          current ? "every held document is current" : "a document changed", started);
    }
    String etag = ContentHash.of(response.body()).entityTag().toHeaderValue();
    // Kept only once every namespace matches these checksums: a watch on them waits for the next
    // change, and its 304 confirms every namespace, so a fetch that fails half-way (FAULTS A4,
    // A7) must leave none, or the next replica would "confirm" documents that are behind.
    checksumsEtag = null;
    for (String namespace : List.copyOf(pending)) {
      if (stopped.getCount() == 0) {
        return;
      }
      Checksums.Entry entry = checksums.namespaces().get(namespace);
      NamespaceTracker tracker = trackers.get(namespace);
      if (entry == null) {
        addReason(reasons, namespace, replica + " does not serve namespace '" + namespace + "'");
      } else if (weaklyEqual(entry.etag(), tracker.etag())) {
        confirm(namespace, replica);
        pending.remove(namespace);
      } else if (rejectedRecently(namespace, entry.etag())) {
        listeners.dispatch(tracker.fail(rejected.get(namespace).reason()));
        pending.remove(namespace);
      } else {
        fetch(replica, namespace, pending, reasons, true);
      }
    }
    // Kept only if what is held now is what these checksums list: checksums that disagree with
    // the documents (a replica serving old checksums, FAULTS A16, A22) would make the next watch
    // return at once, forever.
    Map<String, Checksums.Entry> listed = checksums.namespaces();
    boolean consistent = namespaces.stream().allMatch(ns -> listed.get(ns) != null
        && (weaklyEqual(listed.get(ns).etag(), trackers.get(ns).etag()) || isRejected(ns, listed.get(ns).etag())));
    if (pending.isEmpty() && consistent) {
      checksumsEtag = etag;
    }
  }

  /**
   * Fetches one namespace. {@code replicaHealthy} says the replica just served verified
   * checksums: a request that then fails for this namespace alone is this namespace's problem,
   * and the others are still fetched (FAULTS A25); otherwise the replica as a whole is failing
   * and the next one is tried at once.
   */
  private void fetch(URI replica, String namespace, Set<String> pending, Map<String, String> reasons,
      boolean replicaHealthy) throws ReplicaFailure {
    NamespaceTracker tracker = trackers.get(namespace);
    URI uri = replica.resolve("/v1/instances/" + instance + "/config/" + namespace);
    String held = tracker.etag();
    long started = events.start();
    Transport.Response response;
    try {
      response = held == null
          ? transport.get(uri, settings.requestTimeout())
          : transport.get(uri, settings.requestTimeout(), "If-None-Match", held);
      if (response.status() == 304) {
        if (held != null && weaklyEqual(response.header("ETag"), held)) {
          events.report(replica, namespace, Kind.DOCUMENT, Outcome.NOT_MODIFIED, "the held document is current", started);
          confirm(namespace, replica);
          pending.remove(namespace);
          return;
        }
        // A 304 the client cannot match confirms nothing (FAULTS A12): ask again unconditionally.
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REJECTED, "304 for a document not held", started);
        started = events.start();
        response = transport.get(uri, settings.requestTimeout(), "Cache-Control", "no-cache");
      }
    } catch (Transport.TransportException e) {
      if (stopped.getCount() > 0) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.UNREACHABLE, e.getMessage(), started);
      }
      if (replicaHealthy && stopped.getCount() > 0) {
        addReason(reasons, namespace, replica + ": fetching the document failed: " + e.getMessage());
        return;
      }
      // Closing abandons the request: no further namespace is fetched, so close() stays prompt.
      throw new ReplicaFailure("unreachable: " + e.getMessage(), null);
    }
    if (replicaHealthy && isDocumentError(response.status())) {
      // The replica is up (its checksums verified) but this document errs: the others may not
      // (a bad publish of one namespace must not starve the rest, FAULTS A25).
      events.reportUnusable(replica, namespace, Kind.DOCUMENT, response.status(), "HTTP " + response.status(), started);
      addReason(reasons, namespace, replica + ": HTTP " + response.status() + " for the document");
      return;
    }
    try {
      requireAvailable(response);
    } catch (ReplicaFailure failure) {
      events.reportUnusable(replica, namespace, Kind.DOCUMENT, response.status(), failure.getMessage(), started);
      throw failure;
    }
    try {
      VerifiedDocument document = verifier.envelope(response, namespace);
      String refusal = tracker.refusal(document);
      if (refusal != null) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, refusal, started);
        addReason(reasons, namespace, replica + ": " + refusal);
        log.log(Level.WARNING, "namespace {0}: refused a document from {1}: {2}", namespace, replica, refusal);
        return;
      }
      // The held document fetched again was validated when it was adopted.
      String rejection = document.etag().equals(tracker.etag()) ? null : validators.rejection(namespace, document);
      if (rejection != null) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, rejection, started);
        rejectedByApplication(namespace, document, rejection);
        // Settled for this cycle: another replica would serve the same document, and a
        // rejection is no failure of this replica's.
        pending.remove(namespace);
        return;
      }
      rejected.remove(namespace);
      NamespaceTracker.Transition adopted = tracker.adopt(document, replica.toString());
      events.report(replica, namespace, Kind.DOCUMENT, adopted.contentChanged() ? Outcome.ADOPTED : Outcome.CONFIRMED,
          adopted.contentChanged() ? "a new document" : "the held document again", started);
      listeners.dispatch(adopted);
      // The same bytes fetched again (a tag rewritten on the way, FAULTS A11) are no reason to write.
      persistIfDue(tracker, adopted.contentChanged());
      pending.remove(namespace);
    } catch (Rejection rejection) {
      events.reportUnusable(replica, namespace, Kind.DOCUMENT, response.status(), rejection.getMessage(), started);
      addReason(reasons, namespace, replica + ": " + rejection.getMessage());
    }
  }

  /**
   * Keeps what every replica said: the last one's "unreachable" must not hide an earlier one's
   * rollback or bad signature (FAULTS A16, I5).
   */
  private static void addReason(Map<String, String> reasons, String namespace, String reason) {
    reasons.merge(namespace, reason, (earlier, later) -> earlier + "; " + later);
  }

  private void rejectedByApplication(String namespace, VerifiedDocument document, String reason) {
    NamespaceTracker tracker = trackers.get(namespace);
    RejectedDocument previous = rejected.put(namespace, new RejectedDocument(document.etag(), reason, ticker.read()));
    listeners.dispatch(tracker.fail(reason));
    if (previous == null || !previous.etag().equals(document.etag())) {
      VerifiedDocument held = tracker.lastKnownGood();
      log.log(Level.WARNING, "namespace {0}: {1}; keeping {2}", namespace, reason,
          held == null ? "no document" : "revision " + held.revision());
      // After the status changed: a heartbeat sent now reports the rejection.
      onRejection.run();
    }
  }

  /** Whether the application rejected this ETag of the namespace and no other document was taken since. */
  private boolean isRejected(String namespace, String etag) {
    RejectedDocument standing = rejected.get(namespace);
    return standing != null && weaklyEqual(standing.etag(), etag);
  }

  /** {@link #isRejected}, less than a poll interval ago: not worth downloading again yet. */
  private boolean rejectedRecently(String namespace, String etag) {
    return isRejected(namespace, etag) && ticker.read() - rejected.get(namespace).at() < settings.pollInterval().toNanos();
  }

  private void confirm(String namespace, URI replica) {
    NamespaceTracker tracker = trackers.get(namespace);
    rejected.remove(namespace);
    listeners.dispatch(tracker.confirm(replica.toString()));
    persistIfDue(tracker, false);
  }

  /**
   * An error that concerns the document, not the replica: 500, 502, 504. Overload (429, 503)
   * and refused credentials (401, 403) concern the replica as a whole.
   */
  private static boolean isDocumentError(int status) {
    return status == 500 || status == 502 || status == 504;
  }

  /** 429 and 5xx mean the replica as a whole cannot serve now: fail over, honouring Retry-After. */
  private static void requireAvailable(Transport.Response response) throws ReplicaFailure {
    int status = response.status();
    if (status == 429 || status >= 500) {
      throw new ReplicaFailure("HTTP " + status, Backoff.parseRetryAfter(response.header("Retry-After")));
    }
    if (status == 401 || status == 403) {
      throw new ReplicaFailure("HTTP " + status + ": the credential was refused", null);
    }
  }

  /**
   * Writes the last-known-good copy at once when it changed, and otherwise at most once per
   * persist interval, so confirmations every few seconds do not turn into disk writes (FAULTS E6).
   */
  private void persistIfDue(NamespaceTracker tracker, boolean changed) {
    VerifiedDocument document = tracker.lastKnownGood();
    if (document == null || cache == null) {
      return;
    }
    long now = ticker.read();
    Long saved = lastSaved.get(tracker.namespace());
    if (!changed && saved != null && now - saved < settings.persistInterval().toNanos()) {
      return;
    }
    Instant verifiedAt = tracker.lastVerifiedAt();
    cache.save(tracker.namespace(), document, verifiedAt == null ? clock.instant() : verifiedAt, tracker.graceConsumed());
    lastSaved.put(tracker.namespace(), now);
  }

  private Duration jittered(Duration interval) {
    double factor = 0.9 + 0.2 * random.nextDouble();
    return Duration.ofNanos((long) (interval.toNanos() * factor));
  }

  private static boolean isRouteMissing(Transport.Response response) {
    return new String(response.body(), StandardCharsets.UTF_8).contains("urn:holdfast:problem:not-found");
  }

  static boolean weaklyEqual(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    try {
      return EntityTag.parse(a).weaklyMatches(EntityTag.parse(b));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
