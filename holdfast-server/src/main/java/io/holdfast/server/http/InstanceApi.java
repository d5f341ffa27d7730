package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.config.ServerConfigLoader;
import io.holdfast.server.edge.EdgeConnections;
import io.holdfast.server.edge.WatchLimit;
import io.holdfast.server.edge.WatchPlaces;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.snapshot.SnapshotHolder;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The instance-facing read API: effective documents and checksums, with RFC 9110 conditional
 * requests, and the long-polling watch on the checksums. Served from the snapshot alone; never
 * touches the database.
 *
 * <p>Tenant wall: an instance credential that asks for another instance gets exactly the answer an
 * unknown instance gets (404), so it cannot even learn which ids exist.
 *
 * <p>Watch: {@code GET /{id}/watch?etag=<checksums ETag>&timeout=30s} answers with the checksums
 * document as soon as its ETag differs from {@code etag}: at once if it already does, else when a
 * snapshot swap changes it ({@link SnapshotHolder#nextChangeFor}; the handler's virtual thread
 * parks on that future, nothing polls). At the timeout it answers 304 with the unchanged tag. A
 * swap that leaves this instance's checksums and credential as they were (a publish for another
 * ring, say) does not wake the watcher at all. At most {@code max-watchers} requests wait at once
 * ({@link WatchLimit}); one more answers 503 {@code too-many-watchers} at once. A rotation of the
 * instance's credential wakes its watchers, which check the credential again, so a watch does not
 * outlive its rotation. A watch held with an admin token (few: support and probes) wakes at every
 * swap instead and checks its token again, so it does not outlive a revocation or rotation of that
 * token either; it ends at its credential's expiry at the latest. When the replica stops, waiting
 * watchers answer at once, as at their timeout.
 */
final class InstanceApi implements HttpService {

  /** Only a private cache may store a document, and it must revalidate before each use. */
  static final String CACHE_CONTROL = "private, no-cache";

  // Built once: on the hot path Helidon then writes their pre-encoded bytes instead of creating
  // and encoding the same headers for every response.
  private static final Header CACHE_CONTROL_HEADER =
      HeaderValues.createCached(HeaderNames.CACHE_CONTROL, CACHE_CONTROL);
  private static final Header CONTENT_TYPE_HEADER =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, HoldfastHeaders.ENVELOPE_MEDIA_TYPE);
  private static final HeaderName STORE_UNREACHABLE_SINCE =
      HeaderNames.create(HoldfastHeaders.STORE_UNREACHABLE_SINCE);

  /**
   * Longest a watch waits, and the shortest and default waits. Longer requests are clamped to the
   * maximum, not refused, so clients that ask for the former maximum of 60 s keep working. 50 s
   * answers well before the 60 s read timeouts of common proxies in front (nginx's
   * proxy_read_timeout, Varnish's between_bytes_timeout, HAProxy's usual timeout server): a watch
   * that outlived them would turn into a 504 and get the replica marked down (FAULTS F7).
   */
  static final Duration MAX_WATCH_TIMEOUT = Duration.ofSeconds(50);

  static final Duration MIN_WATCH_TIMEOUT = Duration.ofSeconds(1);
  static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofSeconds(30);

  /** How often a waiting watch looks whether its client is still there, while few watches wait. */
  static final Duration PEER_CHECK_INTERVAL = Duration.ofSeconds(1);

  /**
   * Most peer checks per second on the whole replica. Each check wakes a parked watch and costs a
   * few system calls: 5,000 watches checking every second took a third of a core on an idle replica
   * (FAULTS.md E1, {@code ManyWatchersTest}; about 50 µs of CPU per check). Beyond 500 waiting
   * watches each checks less often: an abandoned watch then keeps its place for up to 2 ms per
   * waiting watch (10 s at 5,000) rather than a second, and the idle cost stays flat however many
   * wait.
   */
  static final int MAX_PEER_CHECKS_PER_SECOND = 500;

  /** Where {@link HttpApi} registers this service. */
  static final String PREFIX = "/v1/instances";

  // The read routes' full paths, matched segment by segment rather than by Helidon's regular
  // expressions (SegmentPathMatcher says why), and registered on the top-level routing
  // ({@link #readRoutes}): under this service's prefix Helidon would also cut and decode the
  // path again for every request. The templates are those the metrics label routes with.
  private static final SegmentPathMatcher DOCUMENT_PATH =
      SegmentPathMatcher.of(PREFIX + "/{instance}/config/{namespace}");
  private static final SegmentPathMatcher CHECKSUMS_PATH =
      SegmentPathMatcher.of(PREFIX + "/{instance}/checksums");
  private static final Predicate<Method> GET_OR_HEAD = Method.predicate(Method.GET, Method.HEAD);

  private static final Header DRAINING =
      HeaderValues.createCached(HeaderNames.create(HoldfastHeaders.DRAINING), "true");

  private final RequestGuard guard;
  private final SnapshotHolder snapshots;
  private final WatchPlaces places;
  private final EdgeConnections connections;
  private final DocumentHeaders documentHeaders;

  InstanceApi(
      RequestGuard guard,
      SnapshotHolder snapshots,
      WatchPlaces places,
      EdgeConnections connections) {
    this.guard = guard;
    this.snapshots = snapshots;
    this.places = places;
    this.connections = connections;
    this.documentHeaders = new DocumentHeaders(snapshots);
  }

  /**
   * The document and checksums reads, GET and HEAD, on the top-level routing: register them before
   * this service, whose own routes then answer their other methods.
   */
  void readRoutes(HttpRules rules) {
    rules
        .route(GET_OR_HEAD, DOCUMENT_PATH, this::document)
        .route(GET_OR_HEAD, CHECKSUMS_PATH, this::checksums);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .any("/{instance}/config/{namespace}", Routes.methodNotAllowed("GET, HEAD"))
        .any("/{instance}/checksums", Routes.methodNotAllowed("GET, HEAD"))
        .get("/{instance}/watch", this::watch)
        .any("/{instance}/watch", Routes.methodNotAllowed("GET"));
  }

  private void document(ServerRequest req, ServerResponse res) {
    InstanceView view = authorisedInstance(req);
    String namespace = req.path().pathParameters().get("namespace");
    ServedDocument document = view.document(namespace);
    if (document == null) {
      throw new ProblemException(
          ProblemType.NAMESPACE_NOT_FOUND,
          "namespace '" + Routes.abbreviate(namespace) + "' does not exist");
    }
    serve(req, res, document);
  }

  private void checksums(ServerRequest req, ServerResponse res) {
    serve(req, res, authorisedInstance(req).checksums());
  }

  private void watch(ServerRequest req, ServerResponse res) {
    EffectiveSnapshot snapshot = guard.snapshot();
    InstanceView view = authorisedInstance(req, snapshot);
    EntityTag known = watchedTag(req);
    Duration timeout = watchTimeout(req);
    if (known == null || !view.checksums().etag().weaklyMatches(known)) {
      send(req, res, view.checksums(), false);
      return;
    }
    String instance = view.id();
    places.enter(instance);
    SocketAddress remote = req.remotePeer().address();
    connections.watching(remote);
    try {
      Principal principal = guard.principal(req, snapshot);
      boolean admin = principal instanceof Principal.AdminPrincipal;
      long deadline = System.nanoTime() + guard.cappedByExpiry(principal, timeout).toNanos();
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        try {
          // In slices, so that a client that went away frees its places now, not at the timeout.
          // An admin token is not the instance's credential, so the instance's own wake-ups do not
          // cover its revocation: an admin watch wakes at every swap and checks its token again.
          snapshot =
              (admin ? snapshots.nextAfter(snapshot) : snapshots.nextChangeFor(view.id(), snapshot))
                  .get(Math.min(remaining, peerCheckInterval()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (connections.peerGone(remote)) {
            // Gone, or it half-closed and still reads: answer now either way (an early "nothing
            // changed" is a valid answer; a write to a gone client fails quietly).
            break;
          }
          continue;
        } catch (ExecutionException | CancellationException e) {
          // The holder released its watchers: the replica is stopping. Answer now, from what it
          // serves, and say so, so that the client watches another replica next (issue 23).
          res.header(DRAINING);
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        view = authorisedInstance(req, snapshot);
        if (!view.checksums().etag().weaklyMatches(known)) {
          send(req, res, view.checksums(), false);
          return;
        }
      }
    } finally {
      places.exit(instance);
    }
    // Timed out, or stopped early: answer from the snapshot served now, 304 if still unchanged.
    view = authorisedInstance(req, guard.snapshot());
    send(req, res, view.checksums(), view.checksums().etag().weaklyMatches(known));
  }

  /**
   * Nanoseconds between a waiting watch's peer checks: {@link #PEER_CHECK_INTERVAL}, stretched so
   * that all waiting watches together make at most {@link #MAX_PEER_CHECKS_PER_SECOND}.
   */
  private long peerCheckInterval() {
    long spread = TimeUnit.SECONDS.toNanos(places.waiting()) / MAX_PEER_CHECKS_PER_SECOND;
    return Math.max(PEER_CHECK_INTERVAL.toNanos(), spread);
  }

  /** The {@code etag} parameter, quoted or not, or {@code null} if absent. */
  private static EntityTag watchedTag(ServerRequest req) {
    List<String> values = req.query().all("etag", List::of);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new ProblemException(
          ProblemType.INVALID_PRECONDITION, "send one 'etag' parameter, not " + values.size());
    }
    String value = values.get(0).strip();
    if (value.isEmpty()) {
      throw new ProblemException(
          ProblemType.INVALID_PRECONDITION,
          "'etag' is empty; leave it out to get the checksums at once");
    }
    try {
      return value.startsWith("\"") || value.startsWith("W/")
          ? EntityTag.parse(value)
          : EntityTag.strong(value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_PRECONDITION,
          "'etag' must be an entity tag such as \"abc\" or abc: " + e.getMessage());
    }
  }

  /**
   * The {@code timeout} parameter, at most {@link #MAX_WATCH_TIMEOUT}; {@link
   * #DEFAULT_WATCH_TIMEOUT} if absent.
   */
  private static Duration watchTimeout(ServerRequest req) {
    List<String> values = req.query().all("timeout", List::of);
    if (values.isEmpty()) {
      return DEFAULT_WATCH_TIMEOUT;
    }
    if (values.size() > 1) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "send one 'timeout' parameter, not " + values.size());
    }
    return watchTimeout(values.get(0));
  }

  /** A {@code timeout} parameter's value, at most {@link #MAX_WATCH_TIMEOUT}. */
  static Duration watchTimeout(String value) {
    Duration timeout;
    try {
      timeout = ServerConfigLoader.duration("timeout", value);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "'timeout' must be a duration such as 1s, 30s, 1m or PT30S");
    }
    if (timeout.compareTo(MIN_WATCH_TIMEOUT) < 0) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "'timeout' must be at least 1s, was " + timeout);
    }
    return timeout.compareTo(MAX_WATCH_TIMEOUT) > 0 ? MAX_WATCH_TIMEOUT : timeout;
  }

  private InstanceView authorisedInstance(ServerRequest req) {
    return authorisedInstance(req, guard.snapshot());
  }

  private InstanceView authorisedInstance(ServerRequest req, EffectiveSnapshot snapshot) {
    return InstanceGate.authorised(guard, req, snapshot);
  }

  /** Sends the document, or 304 if the request's If-None-Match matches it. */
  private void serve(ServerRequest req, ServerResponse res, ServedDocument document) {
    send(
        req,
        res,
        document,
        Conditions.notModified(req, document.etag(), document.etagHeaderValue()));
  }

  /** Sends the document with all its validators, or a 304 with those a 304 must repeat. */
  private void send(
      ServerRequest req, ServerResponse res, ServedDocument document, boolean notModified) {
    DocumentHeaders.Encoded headers = documentHeaders.of(document);
    // Headers a 304 must repeat (RFC 9110 §15.4.5) are the same as on the 200.
    res.header(headers.etag());
    res.header(CACHE_CONTROL_HEADER);
    res.header(headers.revision());
    Instant storeFailingSince = guard.storeFailingSince();
    if (storeFailingSince != null) {
      res.header(STORE_UNREACHABLE_SINCE, storeFailingSince.toString());
    }
    if (notModified) {
      res.status(Status.NOT_MODIFIED_304);
      // RFC 9110 §8.6: a 304 must not carry a Content-Length other than the 200's. Helidon adds
      // "Content-Length: 0" to every body-less 304 after beforeSend callbacks have run, so
      // NotModifiedLength (a send listener, see HttpApi) takes it out as the headers are written.
      res.send();
      return;
    }
    res.header(CONTENT_TYPE_HEADER);
    res.header(headers.reprDigest());
    res.header(headers.signature());
    if (req.prologue().method() == Method.HEAD) {
      res.contentLength(document.body().length);
      res.send();
    } else {
      res.send(document.body());
    }
  }
}
