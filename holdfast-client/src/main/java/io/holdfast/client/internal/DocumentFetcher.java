package io.holdfast.client.internal;

import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.Ticker;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.Backoff;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Fetches one namespace's document from one replica, verifies it, asks the application's validator,
 * and adopts or confirms it; {@link ReplicaSync} decides which namespaces to fetch. Also keeps the
 * documents the application rejected, and refuses to confirm what no current statement vouches for.
 *
 * <p>Three checks beyond the document's own signature happen here:
 *
 * <ul>
 *   <li>mix-and-match (FAULTS D12): a document fetched after verified checksums must be the one
 *       they list, by ETag; another is not adopted, and a {@code 304} for a held document confirms
 *       nothing when they list a newer one (when they list an older one, they were replayed or lag,
 *       FAULTS A22, and the held document stays current while their statement holds). With a pinned
 *       root, a document taken without usable checksums (FAULTS A9) is kept but STALE. What a
 *       client that pins a root holds as FRESH is therefore always a set that one signed checksums
 *       document listed;
 *   <li>the key that signed the held document must still be trusted ({@link SigningTrust}): after a
 *       revocation or a key's retirement the held copy is fetched again without {@code
 *       If-None-Match}, since a re-signed document keeps its ETag, and stays STALE until one
 *       arrives;
 *   <li>a confirmation counts only while the newest freshness statement holds ({@link
 *       FreshnessStatement}, FAULTS D11).
 * </ul>
 *
 * Used by the sync loop's thread only.
 */
final class DocumentFetcher {

  private final String instance;
  private final Map<String, NamespaceTracker> trackers;
  private final Transport transport;
  private final DocumentVerifier verifier;
  private final Validators validators;
  private final Listeners listeners;
  private final FetchReporter events;
  private final LastKnownGoodWriter writer;
  private final FreshnessStatement freshness;
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

  /** A document the application rejected: its ETag, the reason, and when (on the ticker). */
  private record RejectedDocument(String etag, String reason, long at) {}

  DocumentFetcher(
      String instance,
      Map<String, NamespaceTracker> trackers,
      Transport transport,
      DocumentVerifier verifier,
      Validators validators,
      Listeners listeners,
      FetchReporter events,
      LastKnownGoodWriter writer,
      FreshnessStatement freshness,
      SyncSettings settings,
      Ticker ticker,
      System.Logger log,
      CountDownLatch stopped,
      Runnable onRejection) {
    this.instance = instance;
    this.trackers = trackers;
    this.transport = transport;
    this.verifier = verifier;
    this.validators = validators;
    this.listeners = listeners;
    this.events = events;
    this.writer = writer;
    this.freshness = freshness;
    this.settings = settings;
    this.ticker = ticker;
    this.log = log;
    this.stopped = stopped;
    this.onRejection = onRejection;
  }

  /**
   * Why the held document of the namespace may not be confirmed as it is, or {@code null}: the key
   * that signed it is no longer trusted, so a re-signed copy must be fetched.
   */
  String heldDistrust(String namespace) {
    VerifiedDocument held = trackers.get(namespace).lastKnownGood();
    if (held == null) {
      return null;
    }
    String distrust = verifier.trust().distrust(held.signerKeyId());
    return distrust == null ? null : "the held revision " + held.revision() + " is " + distrust;
  }

  /**
   * Fetches one namespace. {@code replicaHealthy} says the replica just served verified checksums:
   * a request that then fails for this namespace alone is this namespace's problem, and the others
   * are still fetched (FAULTS A25); otherwise the replica as a whole is failing and the next one is
   * tried at once.
   *
   * @param entry what the replica's verified checksums list for the namespace, or {@code null} when
   *     there are none (FAULTS A9): a document received must be that one
   */
  void fetch(
      URI replica,
      String namespace,
      Checksums.Entry entry,
      Set<String> pending,
      Map<String, String> reasons,
      boolean replicaHealthy)
      throws ReplicaFailure {
    NamespaceTracker tracker = trackers.get(namespace);
    String listed = entry == null ? null : entry.etag();
    URI uri = replica.resolve("/v1/instances/" + instance + "/config/" + namespace);
    // A re-signed document keeps its ETag: asking conditionally would only confirm the old copy.
    boolean resign = heldDistrust(namespace) != null;
    String held = resign ? null : tracker.etag();
    long started = events.start();
    Transport.Response response;
    try {
      if (resign) {
        response = transport.get(uri, settings.requestTimeout(), "Cache-Control", "no-cache");
      } else if (held == null) {
        response = transport.get(uri, settings.requestTimeout());
      } else {
        response = transport.get(uri, settings.requestTimeout(), "If-None-Match", held);
      }
      if (response.status() == 304) {
        if (held != null && ReplicaSync.weaklyEqual(response.header("ETag"), held)) {
          // Checksums that list an older revision than the one held were replayed or lag (FAULTS
          // A22): the held document stays current, for as long as their statement holds (D11).
          // Checksums that list a newer one contradict the 304: nothing is confirmed (D12).
          if (listed != null
              && !ReplicaSync.weaklyEqual(listed, held)
              && entry.revision() >= tracker.lastKnownGood().revision()) {
            String refusal =
                "answered 304 for the held document, but its checksums list another (mix-and-match refused, FAULTS D12)";
            events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, refusal, started);
            ReplicaSync.addReason(reasons, namespace, replica + " " + refusal);
            return;
          }
          events.report(
              replica,
              namespace,
              Kind.DOCUMENT,
              Outcome.NOT_MODIFIED,
              "the held document is current",
              started);
          confirm(namespace, replica, listed != null, pending, reasons);
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
        ReplicaSync.addReason(
            reasons, namespace, replica + ": fetching the document failed: " + e.getMessage());
        return;
      }
      // Closing abandons the request: no further namespace is fetched, so close() stays prompt.
      throw ReplicaFailure.unreachable(e);
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
      ReplicaSync.addReason(
          reasons, namespace, replica + ": HTTP " + response.status() + " for the document");
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
      if (refusal == null && listed != null && !ReplicaSync.weaklyEqual(listed, document.etag())) {
        refusal =
            "served revision "
                + document.revision()
                + " with ETag "
                + document.etag()
                + ", but its checksums list "
                + listed
                + " (mix-and-match refused, FAULTS D12)";
      }
      if (refusal != null) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, refusal, started);
        ReplicaSync.addReason(reasons, namespace, replica + ": " + refusal);
        log.log(
            Level.WARNING,
            "namespace {0}: refused a document from {1}: {2}",
            namespace,
            replica,
            refusal);
        return;
      }
      VerifiedDocument previous = tracker.lastKnownGood();
      // The held document fetched again was validated when it was adopted.
      String rejection =
          previous != null && document.etag().equals(previous.etag())
              ? null
              : validators.rejection(namespace, document);
      if (rejection != null) {
        events.report(replica, namespace, Kind.DOCUMENT, Outcome.REFUSED, rejection, started);
        rejectedByApplication(namespace, document, rejection);
        // Settled for this cycle: another replica would serve the same document, and a
        // rejection is no failure of this replica's.
        pending.remove(namespace);
        return;
      }
      rejected.remove(namespace);
      String stale = unvouched(listed != null);
      NamespaceTracker.Transition adopted =
          stale == null
              ? tracker.adopt(document, replica.toString())
              : tracker.adoptUnconfirmed(document, stale);
      events.report(
          replica,
          namespace,
          Kind.DOCUMENT,
          adopted.contentChanged() ? Outcome.ADOPTED : Outcome.CONFIRMED,
          adopted.contentChanged() ? "a new document" : "the held document again",
          started);
      listeners.dispatch(adopted);
      // The same bytes fetched again (a tag rewritten on the way, FAULTS A11) are no reason to
      // write; the same bytes under a new signature are (a re-signed copy after a rotation).
      boolean resigned = previous != null && !previous.signature().equals(document.signature());
      writer.persistIfDue(tracker, adopted.contentChanged() || resigned);
      if (stale == null) {
        pending.remove(namespace);
      } else {
        ReplicaSync.addReason(reasons, namespace, stale);
      }
    } catch (Rejection rejection) {
      events.reportUnusable(
          replica, namespace, Kind.DOCUMENT, response.status(), rejection.getMessage(), started);
      ReplicaSync.addReason(reasons, namespace, replica + ": " + rejection.getMessage());
    }
  }

  /**
   * Why a document taken now is not vouched for as current, or {@code null}: the newest freshness
   * statement expired (FAULTS D11); or, with a pinned root, it was not listed by usable checksums
   * (FAULTS A9), so nothing rules out a set that no replica served (D12). It is then kept, STALE.
   */
  private String unvouched(boolean listedByChecksums) {
    String expired = freshness.expired();
    if (expired != null || listedByChecksums || !freshness.required()) {
      return expired;
    }
    return "the replicas' checksums are unusable, so nothing vouches that the document is current"
        + " and belongs to a set a replica served (FAULTS A9, D12)";
  }

  /**
   * A replica says the held document is current. It counts only while the newest freshness
   * statement holds, the document was listed by usable checksums (with a pinned root) and the key
   * that signed it is still trusted; otherwise the namespace stays pending with the reason, so
   * another replica is asked.
   *
   * @param listed whether the replica's verified checksums list the held document
   */
  void confirm(
      String namespace,
      URI replica,
      boolean listed,
      Set<String> pending,
      Map<String, String> reasons) {
    String refusal = unvouched(listed);
    if (refusal == null) {
      refusal = heldDistrust(namespace);
    }
    if (refusal != null) {
      ReplicaSync.addReason(reasons, namespace, replica + ": " + refusal);
      return;
    }
    NamespaceTracker tracker = trackers.get(namespace);
    rejected.remove(namespace);
    listeners.dispatch(tracker.confirm(replica.toString()));
    writer.persistIfDue(tracker, false);
    pending.remove(namespace);
  }

  /** The standing rejection of the namespace's document, if the application rejected one. */
  String standingRejection(String namespace) {
    RejectedDocument standing = rejected.get(namespace);
    return standing == null ? null : standing.reason();
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
  boolean isRejected(String namespace, String etag) {
    RejectedDocument standing = rejected.get(namespace);
    return standing != null && ReplicaSync.weaklyEqual(standing.etag(), etag);
  }

  /** {@link #isRejected}, less than a poll interval ago: not worth downloading again yet. */
  boolean rejectedRecently(String namespace, String etag) {
    return isRejected(namespace, etag)
        && ticker.read() - rejected.get(namespace).at() < settings.pollInterval().toNanos();
  }

  /**
   * An error that concerns the document, not the replica: 500, 502, 504. Overload (429, 503) and
   * refused credentials (401, 403) concern the replica as a whole.
   */
  private static boolean isDocumentError(int status) {
    return status == 500 || status == 502 || status == 504;
  }

  /** 429 and 5xx mean the replica as a whole cannot serve now: fail over, honouring Retry-After. */
  static void requireAvailable(Transport.Response response) throws ReplicaFailure {
    int status = response.status();
    if (status == 429 || status >= 500) {
      throw new ReplicaFailure(
          "HTTP " + status, Backoff.parseRetryAfter(response.header("Retry-After")));
    }
    if (status == 401 || status == 403) {
      throw new ReplicaFailure("HTTP " + status + ": the credential was refused", null);
    }
  }
}
