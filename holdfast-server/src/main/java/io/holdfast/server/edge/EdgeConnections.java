package io.holdfast.server.edge;

import io.holdfast.server.config.EdgeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Every connection open on the instance port, what it is doing, and the limits on them.
 *
 * <p>Design memo. Helidon's WebServer gives each connection a virtual thread that reads until the
 * client goes away, with no deadline on a request's headers or body and no bound per remote
 * address; connections that never send a byte are not even subject to its idle timeout. A client
 * could therefore hold sockets until the process ran out of descriptors (FAULTS F1, F2). This
 * registry closes that gap from outside Helidon:
 *
 * <ul>
 *   <li>{@link #accepted} is called for every accepted socket (through {@link AcceptHook}) before
 *       Helidon reads from it. Past the per-address cap the socket is answered 503 and closed at
 *       once. At the total cap, an idle connection of the address holding the most is closed to
 *       make room, if the newcomer's address holds fewer; otherwise the newcomer is refused. So a
 *       flood from a few addresses cannot lock out everyone else.
 *   <li>{@link EdgeFilter} marks when each request starts and ends, and watches mark themselves. A
 *       sweeper ({@link #sweep}) then closes connections past their deadline: a new connection that
 *       has not delivered its first request's headers within the header timeout (however slowly it
 *       trickles), an idle kept-alive one past the idle timeout, and a request whose body has not
 *       arrived within the request timeout. Waiting watches are exempt.
 * </ul>
 *
 * A connection is ended by shutting its input down: Helidon's reader then sees the end of the
 * stream and closes the connection through its ordinary path, quietly. One that is still open a
 * little later is closed outright.
 *
 * <p>Connections are found by their remote address, which is unique among open TCP connections to
 * one listener. Thread-safe; {@link #sweep} runs on one thread at a time.
 */
public final class EdgeConnections {

  /** What a connection is doing, for its deadline. */
  enum Phase {
    NEW,
    IN_REQUEST,
    WATCHING,
    IDLE
  }

  /** Why the edge ended a connection; the metric's tag. */
  public enum Reason {
    HEADER_TIMEOUT,
    IDLE_TIMEOUT,
    REQUEST_TIMEOUT,
    EVICTED
  }

  /** How long a connection whose input was shut may take to close before it is closed outright. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private static final byte[] REFUSAL =
      ("HTTP/1.1 503 Service Unavailable\r\n"
              + "Content-Type: application/problem+json\r\n"
              + "Retry-After: 1\r\n"
              + "Connection: close\r\n"
              + "Content-Length: %d\r\n\r\n%s")
          .getBytes(StandardCharsets.US_ASCII);

  private final Map<SocketAddress, Connection> byRemote = new ConcurrentHashMap<>();

  /**
   * Connections per remote address; changed only through {@code compute}, so each change is atomic
   * per address.
   */
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean listening = true;
  private final int maxConnections;
  private final boolean tls;
  private final int maxPerAddress;
  private final long headerTimeoutNanos;
  private final long idleTimeoutNanos;
  private final long requestTimeoutNanos;
  private final LongSupplier nanoTime;
  private final ClientMistakeLog log;
  private final LongAdder refusedAtCapacity = new LongAdder();
  private final LongAdder refusedPerAddress = new LongAdder();
  private final Map<Reason, LongAdder> ended = new ConcurrentHashMap<>();

  /**
   * @param maxConnections the total cap in force: the configured one, already lowered to what the
   *     descriptor budget allows ({@link DescriptorBudget})
   */
  public EdgeConnections(
      EdgeSettings settings, int maxConnections, LongSupplier nanoTime, ClientMistakeLog log) {
    this(settings, maxConnections, nanoTime, log, false);
  }

  /**
   * @param tls whether the port speaks TLS: a refusal is then a plain close, since the client
   *     expects a handshake and would read an HTTP answer as a TLS error anyway
   */
  public EdgeConnections(
      EdgeSettings settings,
      int maxConnections,
      LongSupplier nanoTime,
      ClientMistakeLog log,
      boolean tls) {
    this.tls = tls;
    this.maxConnections = maxConnections;
    this.maxPerAddress = settings.maxConnectionsPerAddress();
    this.headerTimeoutNanos = settings.headerTimeout().toNanos();
    this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    this.requestTimeoutNanos = settings.requestTimeout().toNanos();
    this.nanoTime = nanoTime;
    this.log = log;
    for (Reason reason : Reason.values()) {
      ended.put(reason, new LongAdder());
    }
  }

  /**
   * Registers a socket Helidon has just accepted, or refuses it.
   *
   * @throws ConnectionRefusedException after answering the client 503, when a cap is reached;
   *     Helidon then closes the socket
   */
  void accepted(SocketChannel channel) {
    InetSocketAddress remote;
    try {
      remote = (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException | ClassCastException e) {
      throw new ConnectionRefusedException("no remote address");
    }
    if (remote == null) {
      throw new ConnectionRefusedException("no remote address");
    }
    InetAddress address = remote.getAddress();
    int mine = perAddress.merge(address, 1, Integer::sum);
    if (mine > maxPerAddress) {
      release(address);
      refusedPerAddress.increment();
      log.mistake(
          "connections-per-address",
          address.getHostAddress(),
          "refused a connection: the address already holds " + maxPerAddress);
      refuse(channel, "too many connections from your address");
    }
    if (open.incrementAndGet() > maxConnections && !evictForNewcomer(mine)) {
      open.decrementAndGet();
      release(address);
      refusedAtCapacity.increment();
      log.mistake(
          "connections-at-capacity",
          address.getHostAddress(),
          "refused a connection: " + maxConnections + " connections are open");
      refuse(channel, "this replica holds as many connections as it allows");
    }
    Connection stale =
        byRemote.put(remote, new Connection(channel, remote, address, nanoTime.getAsLong()));
    if (stale != null) {
      // The client reused the port of a connection closed since the last sweep: that one is
      // over, and must stop counting.
      closeQuietly(stale.channel);
      forget(stale);
    }
  }

  private void release(InetAddress address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * At the total cap: ends the oldest idle (or header-less) connection of the address holding the
   * most, if that address holds more than the newcomer's does. Returns whether room was made.
   */
  private boolean evictForNewcomer(int newcomersCount) {
    InetAddress heaviest = null;
    int most = newcomersCount;
    for (Map.Entry<InetAddress, Integer> e : perAddress.entrySet()) {
      int n = e.getValue();
      if (n > most) {
        most = n;
        heaviest = e.getKey();
      }
    }
    if (heaviest == null) {
      return false;
    }
    Connection oldest = null;
    for (Connection c : byRemote.values()) {
      if (c.address.equals(heaviest)
          && !c.closing
          && (c.phase == Phase.IDLE || c.phase == Phase.NEW)
          && (oldest == null || c.phaseSince < oldest.phaseSince)) {
        oldest = c;
      }
    }
    if (oldest == null) {
      return false;
    }
    end(oldest, Reason.EVICTED);
    return true;
  }

  private void refuse(SocketChannel channel, String detail) {
    if (tls) {
      throw new ConnectionRefusedException(detail);
    }
    String body =
        "{\"type\":\"urn:holdfast:problem:too-many-connections\",\"title\":\"Too many connections\","
            + "\"status\":503,\"detail\":\""
            + detail
            + "\"}";
    byte[] response =
        String.format(new String(REFUSAL, StandardCharsets.US_ASCII), body.length(), body)
            .getBytes(StandardCharsets.US_ASCII);
    try {
      // A new socket's send buffer takes this whole; if the peer is already gone, never mind.
      channel.write(ByteBuffer.wrap(response));
      channel.shutdownOutput();
    } catch (IOException e) {
      // The client left first: nothing to tell it.
    }
    throw new ConnectionRefusedException(detail);
  }

  /**
   * The connection a request arrived on, or {@code null} if it is not (or no longer) registered.
   */
  Connection find(SocketAddress remote) {
    return remote == null ? null : byRemote.get(remote);
  }

  /**
   * One pass over every connection: forgets closed ones and ends those past their deadline. Called
   * every {@link EdgeSupervisor#SWEEP_INTERVAL}.
   */
  void sweep() {
    long now = nanoTime.getAsLong();
    for (Connection c : byRemote.values()) {
      if (!c.channel.isOpen()) {
        forget(c);
        continue;
      }
      if (c.closing) {
        if (now - c.closingSince > CLOSE_GRACE.toNanos()) {
          closeQuietly(c.channel);
          forget(c);
        }
        continue;
      }
      long age = now - c.phaseSince;
      switch (c.phase) {
        case NEW -> {
          if (age > headerTimeoutNanos) {
            end(c, Reason.HEADER_TIMEOUT);
          }
        }
        case IDLE -> {
          if (age > idleTimeoutNanos) {
            end(c, Reason.IDLE_TIMEOUT);
          }
        }
        case IN_REQUEST -> {
          if (age > requestTimeoutNanos) {
            end(c, Reason.REQUEST_TIMEOUT);
            log.mistake(
                "request-timeout",
                c.address.getHostAddress(),
                "ended a request still unfinished after "
                    + Duration.ofNanos(requestTimeoutNanos).toSeconds()
                    + " s (a body that trickles or stopped)");
          }
        }
        case WATCHING -> {}
      }
    }
  }

  /** Drops a connection from the registry (if still there) and from the counts (exactly once). */
  private void forget(Connection c) {
    byRemote.remove(c.remote, c);
    if (c.counted.compareAndSet(true, false)) {
      open.decrementAndGet();
      release(c.address);
    }
  }

  private void end(Connection c, Reason reason) {
    c.endedFor = reason;
    c.closingSince = nanoTime.getAsLong();
    c.closing = true;
    ended.get(reason).increment();
    if (c.phase == Phase.NEW) {
      // Part of a request head may have arrived; Helidon would answer the end of the stream in
      // the middle of it with a 500. Closed outright, nobody is answered, as nginx does.
      closeQuietly(c.channel);
      return;
    }
    try {
      // Helidon's reader sees the end of the stream: between requests it closes the connection
      // its own quiet way; in a body, EdgeFilter answers 408.
      c.channel.shutdownInput();
    } catch (IOException e) {
      closeQuietly(c.channel);
    }
  }

  /**
   * Marks a connection that is being closed by its own thread; the sweeper closes it outright if it
   * lingers.
   */
  void closing(Connection c) {
    c.closingSince = nanoTime.getAsLong();
    c.closing = true;
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is all that was wanted.
    }
  }

  /** Ends every registered connection now (the listener is being replaced). */
  void closeAll() {
    for (Connection c : byRemote.values()) {
      closeQuietly(c.channel);
      forget(c);
    }
  }

  /**
   * Marks the connection of a request that now waits as a watch: exempt from the request deadline,
   * since the watch's own timeout bounds it.
   */
  public void watching(SocketAddress remote) {
    Connection c = find(remote);
    if (c != null) {
      c.enter(Phase.WATCHING, nanoTime.getAsLong());
    }
  }

  /**
   * Whether the client of a waiting request has gone (closed or reset its connection), so that the
   * request can free what it holds at once instead of at its timeout (FAULTS F5). Only the
   * request's own thread may ask, while nothing reads the connection: the check reads without
   * blocking. Should a pipelined byte arrive instead, it cannot be handed back to Helidon's reader,
   * so the connection is marked to close after this answer.
   */
  public boolean peerGone(SocketAddress remote) {
    Connection c = find(remote);
    if (c == null) {
      return false;
    }
    if (!c.channel.isOpen() || c.closing) {
      return true;
    }
    try {
      c.channel.configureBlocking(false);
      try {
        int n = c.channel.read(ByteBuffer.allocate(1));
        if (n < 0) {
          return true;
        }
        if (n > 0) {
          c.pipelined = true;
        }
        return false;
      } finally {
        c.channel.configureBlocking(true);
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Connections open now on the instance port. */
  public int open() {
    return open.get();
  }

  /** The total cap in force. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Set by {@link EdgeServer}'s watchdog: whether the listener is alive. */
  void listening(boolean alive) {
    listening = alive;
  }

  /**
   * Whether new connections are taken: the listener lives and the connection cap is not reached.
   */
  public boolean accepting() {
    return listening && !atCapacity();
  }

  /** Whether the total cap is reached, so that new clients may be refused. */
  public boolean atCapacity() {
    return open.get() >= maxConnections;
  }

  /** Connections refused because the total cap was reached and nothing could be evicted. */
  public long refusedAtCapacity() {
    return refusedAtCapacity.sum();
  }

  /** Connections refused because their address held as many as it may. */
  public long refusedPerAddress() {
    return refusedPerAddress.sum();
  }

  /** Connections the edge ended, for one reason. */
  public long ended(Reason reason) {
    return ended.get(reason).sum();
  }

  /** One open connection. Its phase is written by the request's thread, read by the sweeper. */
  static final class Connection {
    final SocketChannel channel;
    final SocketAddress remote;
    final InetAddress address;

    /** Set while the connection counts against the caps; cleared exactly once when forgotten. */
    final AtomicBoolean counted = new AtomicBoolean(true);

    volatile Phase phase = Phase.NEW;
    volatile long phaseSince;
    volatile boolean closing;
    volatile long closingSince;

    /** Why the edge ended the connection, once it did. */
    volatile Reason endedFor;

    /** The client spoke HTTP/1.0: the connection closes after its one answer. */
    volatile boolean http10;

    /**
     * A byte arrived while a watch waited and was read by {@link #peerGone}: close after the
     * answer.
     */
    volatile boolean pipelined;

    Connection(SocketChannel channel, SocketAddress remote, InetAddress address, long now) {
      this.channel = channel;
      this.remote = remote;
      this.address = address;
      this.phaseSince = now;
    }

    void enter(Phase next, long now) {
      phaseSince = now;
      phase = next;
    }
  }
}
