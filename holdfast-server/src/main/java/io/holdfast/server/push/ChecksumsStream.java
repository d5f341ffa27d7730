package io.holdfast.server.push;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.server.auth.Principal;
import io.holdfast.server.edge.EdgeConnections;
import io.holdfast.server.edge.WatchPlaces;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.InstanceView;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.snapshot.SnapshotHolder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /v1/instances/{id}/events}: a server-sent-events stream of the instance's checksums,
 * one {@link ChecksumsEvent} each time they change (docs/protocol.md, "Checksums stream").
 *
 * <p>Design memo. The long poll costs a request and an answer per change, and a burst of publishes
 * reaches a watcher as many events as it can re-ask in time. A stream costs one request per
 * connection and coalesces: its virtual thread parks on {@link SnapshotHolder#nextChangeFor} and,
 * once woken, sends the newest snapshot's checksums, not each one it missed; a slow reader (a full
 * socket buffer blocks the write) therefore gets the latest state, never a queue. An idle stream is
 * a parked virtual thread and a connection, no timer and no buffer of its own.
 *
 * <p>The same limits as the long poll hold, from the same counters ({@link WatchPlaces}): the
 * replica's (one more answers 503 {@code too-many-watchers}) and the instance's (429). A rotation
 * of the instance's credential wakes the stream, which authenticates again and ends if it no longer
 * may read; a stream held with an admin token wakes at every swap to do the same. A stream ends at
 * its credential's expiry, after {@link #MAX_LIFETIME} at the latest, and at once when the replica
 * stops (the holder's close wakes it).
 *
 * <p>Resumption: the event id is the checksums' ETag. A client that reconnects with {@code
 * Last-Event-ID} naming the current checksums is sent nothing until they change; any other id (or
 * none) gets the current checksums at once. Every stream starts with a comment sent at once, so a
 * client can tell a proxy that buffers the stream (it would see nothing) from a quiet one, and a
 * comment follows every keep-alive interval (announced in {@code Holdfast-Keep-Alive}), for
 * proxies' idle timeouts and so that a client notices a dead replica. Writing the comment is also
 * how a client that vanished is found: the replica checks the connection at each keep-alive.
 */
public final class ChecksumsStream implements HttpService {

  /**
   * Longest a stream lasts; the client reconnects with its last event id and misses nothing. Bounds
   * how long a stream outlives a change of the replica's limits or a drain.
   */
  static final Duration MAX_LIFETIME = Duration.ofHours(1);

  private static final Header CONTENT_TYPE =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, HoldfastHeaders.EVENT_STREAM_MEDIA_TYPE);

  /** Nothing may store or transform a stream. */
  private static final Header CACHE_CONTROL =
      HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store, no-transform");

  /** Asks nginx not to buffer the stream (its proxy_buffering would hold events back). */
  private static final Header NO_PROXY_BUFFERING =
      HeaderValues.createCached(HeaderNames.create("X-Accel-Buffering"), "no");

  private static final HeaderName LAST_EVENT_ID = HeaderNames.create(HoldfastHeaders.LAST_EVENT_ID);

  private final StreamGate gate;
  private final SnapshotHolder snapshots;
  private final WatchPlaces places;
  private final EdgeConnections connections;
  private final Duration keepAlive;
  private final Header keepAliveHeader;

  /**
   * @param places the replica's and the instance's caps, shared with the long poll
   * @param keepAlive how long a stream may stay silent before a keep-alive comment
   */
  public ChecksumsStream(
      StreamGate gate,
      SnapshotHolder snapshots,
      WatchPlaces places,
      EdgeConnections connections,
      Duration keepAlive) {
    this.gate = gate;
    this.snapshots = snapshots;
    this.places = places;
    this.connections = connections;
    this.keepAlive = keepAlive;
    this.keepAliveHeader =
        HeaderValues.createCached(
            HeaderNames.create(HoldfastHeaders.KEEP_ALIVE),
            Long.toString(Math.max(1, keepAlive.toSeconds())));
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{instance}/events", this::stream);
  }

  private void stream(ServerRequest req, ServerResponse res) {
    EffectiveSnapshot snapshot = gate.snapshot();
    InstanceView view = gate.authorisedInstance(req, snapshot);
    EntityTag lastSent = lastEventId(req);
    String instance = view.id();
    places.enter(instance);
    SocketAddress remote = req.remotePeer().address();
    connections.watching(remote);
    try {
      Principal principal = gate.principal(req, snapshot);
      boolean admin = principal instanceof Principal.AdminPrincipal;
      if (!admin) {
        snapshot = null; // an instance's stream keeps its view only: see nextChangeOf
      }
      long end = System.nanoTime() + gate.cappedByExpiry(principal, MAX_LIFETIME).toNanos();
      res.status(Status.OK_200);
      res.header(CONTENT_TYPE);
      res.header(CACHE_CONTROL);
      res.header(NO_PROXY_BUFFERING);
      res.header(keepAliveHeader);
      try (OutputStream out = res.outputStream()) {
        send(out, ChecksumsEvent.OPENING);
        lastSent = sendIfChanged(out, view.checksums(), lastSent);
        long keepAliveDue = System.nanoTime() + keepAlive.toNanos();
        while (true) {
          long now = System.nanoTime();
          if (now - end >= 0) {
            return;
          }
          // An instance's stream waits by its view, holding no snapshot (see nextChangeOf); an
          // admin's wakes at every swap, so the one it holds is never older than the last swap.
          CompletableFuture<EffectiveSnapshot> next =
              admin ? snapshots.nextAfter(snapshot) : snapshots.nextChangeOf(instance, view);
          try {
            next.get(Math.min(end, keepAliveDue) - now, TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            if (System.nanoTime() - keepAliveDue >= 0) {
              if (connections.peerGone(remote)) {
                return;
              }
              send(out, ChecksumsEvent.KEEP_ALIVE);
              keepAliveDue = System.nanoTime() + keepAlive.toNanos();
            }
            continue;
          } catch (ExecutionException | CancellationException e) {
            return; // the holder closed: the replica is stopping
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          // The newest snapshot, not the one that woke us: a reader that was slow to take the last
          // event gets the state as it is now, whatever happened meanwhile.
          EffectiveSnapshot newest = snapshots.current();
          try {
            view = gate.authorisedInstance(req, newest);
          } catch (ProblemException revokedOrGone) {
            // The credential was rotated or revoked, or the instance deleted: the stream ends,
            // and the client's next request gets the problem.
            return;
          }
          snapshot = admin ? newest : null;
          lastSent = sendIfChanged(out, view.checksums(), lastSent);
        }
      } catch (IOException | UncheckedIOException gone) {
        // The client went away mid-write: nothing to tell it.
      }
    } finally {
      places.exit(instance);
    }
  }

  /** Sends {@code checksums} unless they are the ones last sent; returns what was sent last. */
  private EntityTag sendIfChanged(OutputStream out, ServedDocument checksums, EntityTag lastSent)
      throws IOException {
    if (lastSent != null && checksums.etag().weaklyMatches(lastSent)) {
      return lastSent;
    }
    send(out, ChecksumsEvent.encode(checksums, gate.storeFailingSince()));
    return checksums.etag();
  }

  private static void send(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The {@code Last-Event-ID}, or {@code null} if absent or not an entity tag (send all). */
  private static EntityTag lastEventId(ServerRequest req) {
    String value = req.headers().first(LAST_EVENT_ID).orElse("").strip();
    if (value.isEmpty()) {
      return null;
    }
    try {
      return EntityTag.parse(value);
    } catch (IllegalArgumentException e) {
      return null; // an id this replica never sent: the client gets the current state
    }
  }
}
