package io.holdfast.client.internal;

import io.holdfast.client.FetchEvent.Kind;
import io.holdfast.client.FetchEvent.Outcome;
import io.holdfast.client.Ticker;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.HoldfastHeaders;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The sync loop's work with one replica: asks it whether anything changed (through the watch or a
 * plain poll of the checksums), fetches what did, verifies it, asks the application's validator,
 * and adopts or confirms it in the trackers. Which replica to ask, and when, is {@link SyncLoop}'s
 * business. See {@link SyncLoop} for the design memo.
 *
 * <p>With a pinned root, the key set comes first: a replica's checksums can only be verified under
 * a key set, and they announce a newer one ({@link KeySetSync}). Their freshness statement is
 * checked before they are used ({@link FreshnessStatement}); fetching each document is {@link
 * DocumentFetcher}'s.
 *
 * <p>Keeps what carries over between cycles: the checksums' ETag a watch waits on, whether the
 * replicas support the watch, and when the last full poll was. Used by the sync loop's thread only.
 */
final class ReplicaSync {

  private final String instance;
  private final List<String> namespaces;
  private final Map<String, NamespaceTracker> trackers;
  private final Transport transport;
  private final DocumentVerifier verifier;
  private final DocumentFetcher fetcher;
  private final KeySetSync keySets;
  private final FreshnessStatement freshness;
  private final Listeners listeners;
  private final FetchReporter events;
  private final SyncSettings settings;
  private final Ticker ticker;
  private final System.Logger log;
  private final CountDownLatch stopped;

  private String checksumsEtag;

  /** The revision of the checksums last accepted: older stream events are stale. */
  private long checksumsRevision = Long.MIN_VALUE;

  /** The event stream, or {@code null} when the settings force the long poll. */
  private final StreamWatch stream;

  /** The last watch came back early with nothing new: do not ask again at once. */
  private boolean watchAnsweredEarly;

  /** The last replica asked is stopping and released the watch: watch another one next. */
  private boolean replicaDraining;

  private long lastFullPoll = Long.MIN_VALUE;
  private boolean watchSupported;
  private String lastChecksumsProblem;

  /**
   * What was last logged about each replica's checksums: a client alternates between replicas, and
   * one shared "last problem" made both replicas' warnings alternate too, one per cycle (I5).
   */
  private final Map<URI, String> loggedChecksumsProblems = new HashMap<>();

  /**
   * @param stopped counted down when the client closes: requests then failing are no replica's
   *     failure
   * @param onRejection told when the application rejects a document it had not rejected before;
   *     must not block
   */
  ReplicaSync(
      String instance,
      Map<String, NamespaceTracker> trackers,
      Transport transport,
      DocumentVerifier verifier,
      KeySetSync keySets,
      ClockSkew skew,
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
    this.keySets = keySets;
    this.freshness =
        new FreshnessStatement(verifier.trust().root() != null, verifier.trust(), skew);
    this.listeners = listeners;
    this.events = new FetchReporter(listeners);
    this.fetcher =
        new DocumentFetcher(
            instance,
            trackers,
            transport,
            verifier,
            validators,
            listeners,
            events,
            writer,
            freshness,
            settings,
            ticker,
            log,
            stopped,
            onRejection);
    this.settings = settings;
    this.ticker = ticker;
    this.log = log;
    this.stopped = stopped;
    this.watchSupported = settings.watch();
    this.stream =
        settings.watch() && settings.stream()
            ? new StreamWatch(instance, transport, settings.requestTimeout(), log, stopped)
            : null;
  }

  /** Whether the next request can itself wait for a change: a usable watch on held checksums. */
  boolean watchNext() {
    return watchSupported && checksumsEtag != null && !watchAnsweredEarly;
  }

  /**
   * Whether the replica last synced with said it is stopping ({@code Holdfast-Draining}) while
   * answering: the sync loop then turns to another replica at once, before it stops (issue 23).
   */
  boolean replicaDraining() {
    return replicaDraining;
  }

  /**
   * Why the last replica's checksums were unusable, or {@code null} once they were usable again.
   */
  String checksumsProblem() {
    return lastChecksumsProblem;
  }

  /**
   * Whether {@link #syncWith} would ask through the watch now; otherwise it asks for the checksums
   * with a plain GET, which the sync loop may send ahead to several replicas ({@link
   * #requestChecksums}).
   */
  boolean usesWatch(Set<String> pending) {
    boolean allHeld =
        pending.stream()
            .allMatch(ns -> trackers.get(ns).etag() != null && fetcher.heldDistrust(ns) == null);
    boolean pollDue =
        lastFullPoll == Long.MIN_VALUE
            || ticker.read() - lastFullPoll >= settings.pollInterval().toNanos();
    // An expired statement is renewed by the checksums themselves, never by a watch's 304.
    return watchSupported
        && checksumsEtag != null
        && allHeld
        && !pollDue
        && freshness.expired() == null;
  }

  /** The plain GET of the replica's checksums, sent now; for a hedged cycle. */
  CompletableFuture<Transport.Response> requestChecksums(URI replica) {
    return transport.getAsync(checksumsUri(replica), settings.requestTimeout());
  }

  /** Brings as many pending namespaces as possible up to date from one replica. */
  void syncWith(URI replica, Set<String> pending, Map<String, String> reasons)
      throws ReplicaFailure {
    syncWith(replica, pending, reasons, null);
  }

  /**
   * {@link #syncWith(URI, Set, Map)}, with the replica's answer to {@link #requestChecksums} when
   * the sync loop already asked for it (then no watch is used), or {@code null}.
   */
  void syncWith(
      URI replica,
      Set<String> pending,
      Map<String, String> reasons,
      CompletableFuture<Transport.Response> checksumsAsked)
      throws ReplicaFailure {
    if (keySets.needed(0)) {
      // A pinned root and no key set yet: nothing this replica signs can be verified without one.
      keySets.bringUpTo(replica, 0);
    }
    boolean useWatch = checksumsAsked == null && usesWatch(pending);
    String watchedEtag = useWatch ? checksumsEtag : null;
    long watchStarted = System.nanoTime();
    long started = events.start();
    watchAnsweredEarly = false;
    replicaDraining = false;
    Transport.Response response = null;
    try {
      if (useWatch) {
        // The event stream first; null where it cannot be had, and the long poll does instead.
        response =
            stream == null
                ? null
                : stream.next(replica, checksumsEtag, checksumsRevision, settings.watchTimeout());
        if (response == null) {
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
        }
        if (response.header(HoldfastHeaders.DRAINING) != null) {
          // A stopping replica: a new watch is refused (503), a held one answered early. Neither
          // says anything against the replica's data: go to the next replica now, in this cycle
          // if it refused, in the next (at once) if it answered.
          if (response.status() == 503) {
            events.report(
                replica, null, Kind.WATCH, Outcome.UNREACHABLE, "draining (stopping)", started);
            throw new ReplicaFailure("draining: the replica is stopping", null);
          }
          replicaDraining = true;
        }
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
            watchAnsweredEarly = early && !replicaDraining;
            for (String namespace : List.copyOf(pending)) {
              String standing = fetcher.standingRejection(namespace);
              if (standing == null) {
                fetcher.confirm(namespace, replica, true, pending, reasons);
              } else {
                // The checksums watched list the rejected document (see "consistent" below).
                listeners.dispatch(trackers.get(namespace).fail(standing));
                pending.remove(namespace);
              }
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
            checksumsAsked == null
                ? transport.get(checksumsUri(replica), settings.requestTimeout())
                : Transport.await(checksumsAsked);
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
      throw ReplicaFailure.unreachable(e);
    }
    Kind kind = useWatch ? Kind.WATCH : Kind.CHECKSUMS;
    Checksums checksums = null;
    String problem = null;
    try {
      checksums = usableChecksums(replica, response);
    } catch (Rejection rejection) {
      problem = "checksums from " + replica + " unusable: " + rejection.getMessage();
      events.reportUnusable(
          replica, null, kind, response.status(), rejection.getMessage(), started);
    }
    if (checksums == null) {
      // The incident (FAULTS A9): without checksum data, fetch each document conditionally.
      if (!problem.equals(loggedChecksumsProblems.put(replica, problem))) {
        log.log(Level.WARNING, "{0}; fetching documents directly", problem);
      }
      lastChecksumsProblem = problem;
      checksumsEtag = null;
      for (String namespace : List.copyOf(pending)) {
        if (stopped.getCount() == 0) {
          return;
        }
        fetcher.fetch(replica, namespace, null, pending, reasons, false);
      }
      return;
    }
    if (loggedChecksumsProblems.remove(replica) != null) {
      log.log(Level.INFO, "checksums from {0} are usable again", replica);
    }
    lastChecksumsProblem = null;
    freshness.accept(checksums);
    checksumsRevision = checksums.revision();
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
      } else if (weaklyEqual(entry.etag(), tracker.etag())
          && fetcher.heldDistrust(namespace) == null) {
        fetcher.confirm(namespace, replica, true, pending, reasons);
      } else if (fetcher.rejectedRecently(namespace, entry.etag())) {
        listeners.dispatch(tracker.fail(fetcher.standingRejection(namespace)));
        pending.remove(namespace);
      } else {
        fetcher.fetch(replica, namespace, entry, pending, reasons, true);
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
                            || fetcher.isRejected(ns, listed.get(ns).etag())));
    if (pending.isEmpty() && consistent) {
      checksumsEtag = etag;
    }
  }

  /**
   * Verifies the replica's checksums, first following a newer key set they announce (or, when they
   * do not verify, one that lists the key they are signed with), then checks their freshness
   * statement.
   *
   * @throws ReplicaFailure if the replica's key sets are refused
   */
  private Checksums usableChecksums(URI replica, Transport.Response response)
      throws Rejection, ReplicaFailure {
    Checksums checksums;
    try {
      checksums = verifier.checksums(response);
    } catch (Rejection rejection) {
      if (response.status() != 200 || !keySets.tryNewer(replica)) {
        throw rejection;
      }
      checksums = verifier.checksums(response);
    }
    if (keySets.needed(checksums.keySetVersion())) {
      keySets.bringUpTo(replica, checksums.keySetVersion());
      // The new key set may revoke the very key these checksums were signed with.
      checksums = verifier.checksums(response);
    }
    String refusal = freshness.refusal(checksums);
    if (refusal != null) {
      throw new Rejection(refusal);
    }
    return checksums;
  }

  /**
   * Keeps what every replica said: the last one's "unreachable" must not hide an earlier one's
   * rollback or bad signature (FAULTS A16, I5).
   */
  static void addReason(Map<String, String> reasons, String namespace, String reason) {
    reasons.merge(namespace, reason, (earlier, later) -> earlier + "; " + later);
  }

  private URI checksumsUri(URI replica) {
    return replica.resolve("/v1/instances/" + instance + "/checksums");
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
