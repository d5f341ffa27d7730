package io.holdfast.client.internal;

import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.Ticker;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.Backoff;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The sync loop's work with one replica: asks it whether anything changed (through the watch or a
 * plain poll of the checksums), fetches what did, verifies it, asks the application's validator,
 * and adopts or confirms it in the trackers. Which replica to ask, and when, is {@link SyncLoop}'s
 * business. See {@link SyncLoop} for the design memo.
 *
 * <p>Keeps what carries over between cycles: the checksums' ETag a watch waits on, whether the
 * replicas support the watch, when the last full poll was, and the documents the application
 * rejected. Used by the sync loop's thread only.
 */
final class ReplicaSync {

  private final String instance;
  private final List<String> namespaces;
  private final Map<String, NamespaceTracker> trackers;
  private final Transport transport;
  private final DocumentVerifier verifier;
  private final Validators validators;
  private final Listeners listeners;
  private final FetchReporter events;
  private final LastKnownGoodWriter writer;
  private final SyncSettings settings;
  private final Ticker ticker;
  private final System.Logger log;
  private final CountDownLatch stopped;

  /** Told when the application rejects a document it had not rejected before; must not block. */
  private final Runnable onRejection;

  /**
   * Per namespace, the document the application rejected, while no other was adopted or confirmed.
   */
  private final Map<String, RejectedDocument> rejected = new HashMap<>();

  private String checksumsEtag;

  /** The last watch came back early with nothing new: do not ask again at once. */
  private boolean watchAnsweredEarly;

  private long lastFullPoll = Long.MIN_VALUE;
  private boolean watchSupported;
  private String lastChecksumsProblem;

  /** A document the application rejected: its ETag, the reason, and when (on the ticker). */
  private record RejectedDocument(String etag, String reason, long at) {}

  /**
   * @param stopped counted down when the client closes: requests then failing are no replica's
   *     failure
   */
  ReplicaSync(
      String instance,
      Map<String, NamespaceTracker> trackers,
      Transport transport,
      DocumentVerifier verifier,
      Validators validators,
      Listeners listeners,
      LastKnownGoodWriter writer,
      SyncSettings settings,
      Ticker ticker,
      System.Logger log,
      CountDownLatch stopped,
      Runnable onRejection) {
    this.instance = instance;
    this.namespaces = List.copyOf(trackers.keySet());
    this.trackers = trackers;
    this.transport = transport;
    this.verifier = verifier;
    this.validators = validators;
    this.listeners = listeners;
    this.events = new FetchReporter(listeners);
    this.writer = writer;
    this.settings = settings;
    this.ticker = ticker;
    this.log = log;
    this.stopped = stopped;
    this.onRejection = onRejection;
    this.watchSupported = settings.watch();
  }

  /** Whether the next request can itself wait for a change: a usable watch on held checksums. */
  boolean watchNext() {
    return watchSupported && checksumsEtag != null && !watchAnsweredEarly;
  }

  /**
   * Why the last replica's checksums were unusable, or {@code null} once they were usable again.
   */
  String checksumsProblem() {
    return lastChecksumsProblem;
  }

  /** Brings as many pending namespaces as possible up to date from one replica. */
  void syncWith(URI replica, Set<String> pending, Map<String, String> reasons)
      throws ReplicaFailure {
    boolean allHeld = pending.stream().allMatch(ns -> trackers.get(ns).etag() != null);
    boolean pollDue =
        lastFullPoll == Long.MIN_VALUE
            || ticker.read() - lastFullPoll >= settings.pollInterval().toNanos();
    boolean useWatch = watchSupported && checksumsEtag != null && allHeld && !pollDue;
    String watchedEtag = useWatch ? checksumsEtag : null;
    long watchStarted = System.nanoTime();
    long started = events.start();
    watchAnsweredEarly = false;
    Transport.Response response = null;
    try {
      if (useWatch) {
        URI watch =
            replica.resolve(
                "/v1/instances/"
                    + instance
                    + "/watch?etag="
                    + encode(checksumsEtag)
                    + "&timeout="
                    + settings.watchTimeout().toMillis()
                    + "ms");
        response = transport.get(watch, settings.watchTimeout().plus(settings.requestTimeout()));
        // A replica holds a watch until something changes or the timeout passes. One that
        // answers "nothing new" at once (a replayed or duplicated event, FAULTS A22, or a
        // middlebox, A23) must not turn the loop into a hot loop. Real time on purpose: this
        // paces requests, it measures no grace.
        boolean early = System.nanoTime() - watchStarted < settings.watchTimeout().toNanos() / 2;
        if (response.status() == 404 && isRouteMissing(response)) {
          log.log(
              Level.INFO, "replica {0} has no watch endpoint; polling checksums instead", replica);
          events.report(replica, null, Kind.WATCH, Outcome.REJECTED, "no watch endpoint", started);
          watchSupported = false;
          useWatch = false;
        } else if (response.status() == 200
            && early
            && weaklyEqual(
                ContentHash.of(response.body()).entityTag().toHeaderValue(), watchedEtag)) {
          watchAnsweredEarly = true;
        } else if (response.status() == 304) {
          if (weaklyEqual(response.header("ETag"), checksumsEtag)) {
            events.report(
                replica,
                null,
                Kind.WATCH,
                Outcome.NOT_MODIFIED,
                "the held checksums are current",
                started);
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
          events.report(
              replica, null, Kind.WATCH, Outcome.REJECTED, "304 for checksums not held", started);
          useWatch = false;
        }
      }
      if (!useWatch) {
        started = events.start();
        response =
            transport.get(
                replica.resolve("/v1/instances/" + instance + "/checksums"),
                settings.requestTimeout());
        lastFullPoll = ticker.read();
      }
    } catch (Transport.TransportException e) {
      if (stopped.getCount()
          > 0) { // closing abandons the requests: no replica's failure, nothing to count
        events.report(
            replica,
            null,
            useWatch ? Kind.WATCH : Kind.CHECKSUMS,
            Outcome.UNREACHABLE,
            e.getMessage(),
            started);
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
      events.reportUnusable(
          replica, null, kind, response.status(), rejection.getMessage(), started);
    }
    if (checksums == null) {
      // The incident (FAULTS A9): without checksum data, fetch each document conditionally.
      if (!problem.equals(lastChecksumsProblem)) {
        log.log(Level.WARNING, "{0}; fetching documents directly", problem);
      }
      lastChecksumsProblem = problem;
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
      boolean current =
          pending.stream()
              .allMatch(
                  ns ->
                      entries.get(ns) != null
                          && weaklyEqual(entries.get(ns).etag(), trackers.get(ns).etag()));
      events.report(
          replica,
          null,
          kind,
          current ? Outcome.CONFIRMED : Outcome.ADOPTED,
          current ? "every held document is current" : "a document changed",
          started);
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
    boolean consistent =
        namespaces.stream()
            .allMatch(
                ns ->
                    listed.get(ns) != null
                        && (weaklyEqual(listed.get(ns).etag(), trackers.get(ns).etag())
                            || isRejected(ns, listed.get(ns).etag())));
    if (pending.isEmpty() && consistent) {
      checksumsEtag = etag;
    }
  }

  /**
   * Fetches one namespace. {@code replicaHealthy} says the replica just served verified checksums:
   * a request that then fails for this namespace alone is this namespace's problem, and the others
   * are still fetched (FAULTS A25); otherwise the replica as a whole is failing and the next one is
   * tried at once.
   */
  private void fetch(
      URI replica,
      String namespace,
      Set<String> pending,
      Map<String, String> reasons,
      boolean replicaHealthy)
      throws ReplicaFailure {
    NamespaceTracker tracker = trackers.get(namespace);
    URI uri = replica.resolve("/v1/instances/" + instance + "/config/" + namespace);
    String held = tracker.etag();
    long started = events.start();
    Transport.Response response;
    try {
      response =
          held == null
              ? transport.get(uri, settings.requestTimeout())
              : transport.get(uri, settings.requestTimeout(), "If-None-Match", held);
      if (response.status() == 304) {
        if (held != null && weaklyEqual(response.header("ETag"), held)) {
          events.report(
              replica,
              namespace,
              Kind.DOCUMENT,
              Outcome.NOT_MODIFIED,
              "the held document is current",
              started);
          confirm(namespace, replica);
          pending.remove(namespace);
          return;
        }
        // A 304 the client cannot match confirms nothing (FAULTS A12): ask again unconditionally.
        events.report(
            replica,
            namespace,
            Kind.DOCUMENT,
            Outcome.REJECTED,
            "304 for a document not held",
            started);
        started = events.start();
        response = transport.get(uri, settings.requestTimeout(), "Cache-Control", "no-cache");
      }
    } catch (Transport.TransportException e) {
      if (stopped.getCount() > 0) {
        events.report(
            replica, namespace, Kind.DOCUMENT, Outcome.UNREACHABLE, e.getMessage(), started);
      }
      if (replicaHealthy && stopped.getCount() > 0) {
        addReason(
            reasons, namespace, replica + ": fetching the document failed: " + e.getMessage());
        return;
      }
      // Closing abandons the request: no further namespace is fetched, so close() stays prompt.
      throw new ReplicaFailure("unreachable: " + e.getMessage(), null);
    }
    if (replicaHealthy && isDocumentError(response.status())) {
      // The replica is up (its checksums verified) but this document errs: the others may not
      // (a bad publish of one namespace must not starve the rest, FAULTS A25).
      events.reportUnusable(
          replica,
          namespace,
          Kind.DOCUMENT,
          response.status(),
          "HTTP " + response.status(),
          started);
      addReason(reasons, namespace, replica + ": HTTP " + response.status() + " for the document");
      return;
    }
    try {
      requireAvailable(response);
    } catch (ReplicaFailure failure) {
      events.reportUnusable(
          replica, namespace, Kind.DOCUMENT, response.status(), failure.getMessage(), started);
      throw failure;
    }
    try {
      VerifiedDocument document = verifier.envelope(response, namespace);
      String refusal = tracker.refusal(document);
      if (refusal != null) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, refusal, started);
        addReason(reasons, namespace, replica + ": " + refusal);
        log.log(
            Level.WARNING,
            "namespace {0}: refused a document from {1}: {2}",
            namespace,
            replica,
            refusal);
        return;
      }
      // The held document fetched again was validated when it was adopted.
      String rejection =
          document.etag().equals(tracker.etag()) ? null : validators.rejection(namespace, document);
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
      events.report(
          replica,
          namespace,
          Kind.DOCUMENT,
          adopted.contentChanged() ? Outcome.ADOPTED : Outcome.CONFIRMED,
          adopted.contentChanged() ? "a new document" : "the held document again",
          started);
      listeners.dispatch(adopted);
      // The same bytes fetched again (a tag rewritten on the way, FAULTS A11) are no reason to
      // write.
      writer.persistIfDue(tracker, adopted.contentChanged());
      pending.remove(namespace);
    } catch (Rejection rejection) {
      events.reportUnusable(
          replica, namespace, Kind.DOCUMENT, response.status(), rejection.getMessage(), started);
      addReason(reasons, namespace, replica + ": " + rejection.getMessage());
    }
  }

  /**
   * Keeps what every replica said: the last one's "unreachable" must not hide an earlier one's
   * rollback or bad signature (FAULTS A16, I5).
   */
  static void addReason(Map<String, String> reasons, String namespace, String reason) {
    reasons.merge(namespace, reason, (earlier, later) -> earlier + "; " + later);
  }

  private void rejectedByApplication(String namespace, VerifiedDocument document, String reason) {
    NamespaceTracker tracker = trackers.get(namespace);
    RejectedDocument previous =
        rejected.put(namespace, new RejectedDocument(document.etag(), reason, ticker.read()));
    listeners.dispatch(tracker.fail(reason));
    if (previous == null || !previous.etag().equals(document.etag())) {
      VerifiedDocument held = tracker.lastKnownGood();
      log.log(
          Level.WARNING,
          "namespace {0}: {1}; keeping {2}",
          namespace,
          reason,
          held == null ? "no document" : "revision " + held.revision());
      // After the status changed: a heartbeat sent now reports the rejection.
      onRejection.run();
    }
  }

  /**
   * Whether the application rejected this ETag of the namespace and no other document was taken
   * since.
   */
  private boolean isRejected(String namespace, String etag) {
    RejectedDocument standing = rejected.get(namespace);
    return standing != null && weaklyEqual(standing.etag(), etag);
  }

  /** {@link #isRejected}, less than a poll interval ago: not worth downloading again yet. */
  private boolean rejectedRecently(String namespace, String etag) {
    return isRejected(namespace, etag)
        && ticker.read() - rejected.get(namespace).at() < settings.pollInterval().toNanos();
  }

  private void confirm(String namespace, URI replica) {
    NamespaceTracker tracker = trackers.get(namespace);
    rejected.remove(namespace);
    listeners.dispatch(tracker.confirm(replica.toString()));
    writer.persistIfDue(tracker, false);
  }

  /**
   * An error that concerns the document, not the replica: 500, 502, 504. Overload (429, 503) and
   * refused credentials (401, 403) concern the replica as a whole.
   */
  private static boolean isDocumentError(int status) {
    return status == 500 || status == 502 || status == 504;
  }

  /** 429 and 5xx mean the replica as a whole cannot serve now: fail over, honouring Retry-After. */
  private static void requireAvailable(Transport.Response response) throws ReplicaFailure {
    int status = response.status();
    if (status == 429 || status >= 500) {
      throw new ReplicaFailure(
          "HTTP " + status, Backoff.parseRetryAfter(response.header("Retry-After")));
    }
    if (status == 401 || status == 403) {
      throw new ReplicaFailure("HTTP " + status + ": the credential was refused", null);
    }
  }

  private static boolean isRouteMissing(Transport.Response response) {
    return new String(response.body(), StandardCharsets.UTF_8)
        .contains("urn:holdfast:problem:not-found");
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
