package io.holdfast.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 fault proxy on 127.0.0.1, in front of a real Holdfast replica, in the spirit of
 * Toxiproxy: point the client under test at {@link #uri()} instead of the replica, then make the
 * "replica" misbehave with {@link #fault(Fault)}.
 *
 * <pre>{@code
 * try (FaultyReplica replica = FaultyReplica.start(realReplica)) {
 *   // build the client with replica.uri()
 *   replica.fault("/checksums", Fault.status(503, "5"));
 *   replica.fault(Fault.refuseConnections());
 *   replica.clear();                     // healthy again, same port
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> Each accepted connection gets a platform daemon thread named {@code
 * holdfast-faulty-replica-<port>-<n>}, which reads one request, picks a fault by the rules, and
 * either answers on its own or forwards the request to the replica with {@link HttpClient} and
 * writes the answer back over the raw socket, tampered with. Every answer carries {@code
 * Connection: close} and the socket is closed after it; HTTP clients simply reconnect. At most 256
 * connections are served at once; the ones beyond are closed at once.
 *
 * <p><b>Rules.</b> {@link #fault(String, Fault)} adds a rule for requests whose request-target
 * (path and query, as sent) contains a string; {@link #fault(Fault)} adds one for every request.
 * The most recently added matching rule wins; requests no rule matches are forwarded untouched.
 * {@link #clear()} removes every rule, ends the blackholes and trickles in progress, and listens
 * again if connections were refused.
 *
 * <p><b>Forwarding.</b> The method, request-target, body and headers are forwarded, except
 * hop-by-hop headers, {@code Host}, {@code Content-Length} and {@code Expect}, and any header the
 * JDK's {@link HttpClient} will not send. Responses are buffered whole before they are written;
 * hop-by-hop headers are dropped and {@code Content-Length} is recomputed. If the replica cannot be
 * reached, the proxy answers {@code 502}.
 *
 * <p><b>Event streams.</b> A {@code 200 text/event-stream} answer (the checksums stream, {@code GET
 * .../events}) is not buffered but passed on as it arrives, chunked, a chunk per read from the
 * replica, flushed at once. Faults apply to it as the stream's equivalent of what they do to a
 * body: {@link Fault#truncate(int)} cuts it after so many bytes without its last chunk, {@link
 * Fault#flipByte()} alters the first event's {@code data} line, {@link Fault#trickle(Duration)}
 * sends it a byte at a time, {@link Fault#replay(Recorded)} of a recorded {@code .../checksums}
 * answer sends that as a one-event stream, and {@link Fault#bufferStreams()} buffers it as a
 * buffering proxy would. A rule on a path containing {@code /checksums} or {@code /watch} also
 * matches the instance's {@code /events}, which carries the checksums and replaces the watch, so
 * "the checksums are unavailable" means the stream too; and adding a rule cuts the streams in
 * progress that it matches, so the client's reconnect meets it, as a poll would.
 *
 * <p><b>Limits.</b> Requests must use the origin form ({@code /path?query}), fit in 1 MiB of head
 * and 16 MiB of body, and state their body's length with {@code Content-Length} (chunked request
 * bodies are answered {@code 411}). A request-target that is not a valid URI is answered {@code
 * 400}. Closing the listener to refuse connections frees the port for a moment; in the unlikely
 * event another process takes it, re-opening fails with an {@link UncheckedIOException}.
 *
 * <p><b>Thread safety.</b> Safe for use from any number of threads; rule changes apply to requests
 * whose head is read after the change.
 */
public final class FaultyReplica implements AutoCloseable {

  private static final int MAX_CONNECTIONS = 256;
  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final URI upstream;
  private final int port;
  private final ReplicaForwarder forwarder;

  private final Object lock = new Object();
  private ServerSocket listener; // guarded by lock; null while refusing connections or closed
  private Thread acceptor; // guarded by lock; the thread accepting on listener
  private volatile boolean closed;

  /** Counted down (and replaced) by {@link #clear()}, and counted down by {@link #close()}. */
  private volatile CountDownLatch cleared = new CountDownLatch(1);

  private final FaultRules rules = new FaultRules();

  private final OpenStreams streams = new OpenStreams(rules);

  private final AtomicInteger threadIds = new AtomicInteger();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  private FaultyReplica(URI upstream, ServerSocket listener, SSLContext upstreamTls) {
    this.upstream = upstream;
    this.forwarder = new ReplicaForwarder(upstream, upstreamTls);
    this.port = listener.getLocalPort();
    this.listener = listener;
  }

  /**
   * Starts a proxy on 127.0.0.1, on an ephemeral port, in front of {@code upstream}.
   *
   * @param upstream the real replica: an {@code http} or {@code https} URI without query or
   *     fragment, such as {@code http://127.0.0.1:8080}; a path, if any, prefixes every forwarded
   *     request-target
   * @throws IOException if no port can be bound
   */
  public static FaultyReplica start(URI upstream) throws IOException {
    return start(upstream, null);
  }

  /**
   * Starts a proxy on 127.0.0.1, on an ephemeral port, in front of an {@code https} replica whose
   * certificate {@code upstreamTls} trusts (a private certificate authority, say). Clients still
   * reach the proxy over plain HTTP on loopback.
   *
   * @param upstream the real replica, as for {@link #start(URI)}
   * @param upstreamTls the TLS context to reach it with; {@code null} for the JDK's default
   * @throws IOException if no port can be bound
   */
  public static FaultyReplica start(URI upstream, SSLContext upstreamTls) throws IOException {
    Objects.requireNonNull(upstream, "upstream");
    String scheme = upstream.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || upstream.getHost() == null
        || upstream.getRawQuery() != null
        || upstream.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "upstream must be an http(s) URI without query or fragment: " + upstream);
    }
    FaultyReplica replica = new FaultyReplica(upstream, bind(0), upstreamTls);
    synchronized (replica.lock) {
      replica.startAccepting(replica.listener);
    }
    return replica;
  }

  /** Where clients reach the proxy: {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The real replica requests are forwarded to. */
  public URI upstream() {
    return upstream;
  }

  /**
   * How many requests the proxy has read since it started or since {@link #resetCount()}, faulted
   * or not. Connections refused, or closed before a whole request head arrived, do not count.
   */
  public int requests() {
    return rules.requests();
  }

  /**
   * How many of {@link #requests()} had their request-target contain {@code pathContains}, faulted
   * or not: for example whether a replica was asked for a document at all.
   *
   * @param pathContains a substring of the request-target; empty counts every request
   */
  public int requests(String pathContains) {
    Objects.requireNonNull(pathContains, "pathContains");
    return rules.requests(pathContains);
  }

  /**
   * How many of {@link #requests()} a rule's fault was applied to, rather than forwarded untouched:
   * the proof that a rule still matches what a test means it to. Connections refused by {@link
   * Fault#refuseConnections()} do not count, since no request is read.
   */
  public int faulted() {
    return rules.faulted();
  }

  /** Sets {@link #requests()}, {@link #requests(String)} and {@link #faulted()} back to zero. */
  public void resetCount() {
    rules.resetCount();
  }

  /**
   * Waits until {@link #requests()} reaches {@code count}: for example until a blackholed request
   * has arrived, before clearing the rule. A request counts once its fault has been chosen, so
   * rules changed afterwards no longer apply to it, and a {@link #clear()} ends it as described
   * there.
   *
   * @param count the count to wait for
   * @param timeout how long to wait at most
   * @return whether the count was reached in time
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitRequests(int count, Duration timeout) throws InterruptedException {
    return rules.awaitRequests(count, timeout);
  }

  /**
   * Applies {@code fault} to every request, taking precedence over the rules added before.
   *
   * @throws UncheckedIOException if the port must be listened on again and cannot be
   */
  public void fault(Fault fault) {
    fault("", fault);
  }

  /**
   * Applies {@code fault} to the requests whose request-target (path and query, as sent) contains
   * {@code pathContains}, taking precedence over the rules added before. Rules for other paths stay
   * in force.
   *
   * @param pathContains a substring of the request-target; empty for every request
   * @param fault the fault; {@link Fault#refuseConnections()} only with an empty {@code
   *     pathContains}, since it acts before any path is known
   * @throws UncheckedIOException if the port must be listened on again and cannot be
   */
  public void fault(String pathContains, Fault fault) {
    Objects.requireNonNull(pathContains, "pathContains");
    Objects.requireNonNull(fault, "fault");
    if (fault.refusesConnections() && !pathContains.isEmpty()) {
      throw new IllegalArgumentException("refuseConnections() applies to every path");
    }
    synchronized (lock) {
      rules.add(pathContains, fault);
      streams.cutMatching(pathContains);
      listenAsRulesSay();
    }
  }

  /**
   * Removes every rule: requests are forwarded untouched again, connections held by {@link
   * Fault#blackhole()} are closed unanswered, {@link Fault#trickle(Duration)} sends the rest of its
   * body at once, {@link Fault#delay(Duration)} stops waiting, and refused connections are accepted
   * again on the same port.
   *
   * @throws UncheckedIOException if the port cannot be listened on again
   */
  public void clear() {
    synchronized (lock) {
      rules.clear();
      CountDownLatch old = cleared;
      cleared = new CountDownLatch(1);
      old.countDown();
      listenAsRulesSay();
    }
  }

  /**
   * Records the replica's current answer to {@code GET path}, to serve it later with {@link
   * Fault#replay(Recorded)}: for example an older, validly signed document once the replica has
   * moved on.
   *
   * @param path the request-target, such as {@code /v1/instances/acme-prod/config/core}
   * @param headers request headers as name, value pairs, such as {@code "Authorization", "Bearer
   *     hfi_..."}
   * @throws IOException if the replica cannot be reached or the thread is interrupted
   */
  public Recorded record(String path, String... headers) throws IOException {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers must come as name, value pairs");
    }
    return forwarder.record(path, headers);
  }

  /**
   * Stops the proxy: closes the listener and every connection, ends its threads (waiting up to two
   * seconds for them), and answers nothing more. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopAccepting();
    }
    cleared.countDown();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    for (Thread thread : threads) {
      thread.interrupt();
    }
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    for (Thread thread : threads) {
      joinUninterruptibly(thread, deadline - System.nanoTime());
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "FaultyReplica[" + uri() + " -> " + upstream + ", rules=" + rules + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /** Opens or closes the listener as the highest-precedence rule for every path says. */
  private void listenAsRulesSay() {
    if (closed) {
      return;
    }
    boolean refuse = rules.refusesConnections();
    if (refuse && listener != null) {
      stopAccepting();
    } else if (!refuse && listener == null) {
      try {
        listener = bind(port);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " again", e);
      }
      startAccepting(listener);
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
      return server;
    } catch (IOException e) {
      server.close();
      throw e;
    }
  }

  private void startAccepting(ServerSocket server) {
    acceptor = startThread(() -> accept(server), "accept");
  }

  /**
   * Closes the listener and waits for its thread to leave {@code accept}: only then is the socket
   * really closed (the JDK defers it), and the port free to be listened on again.
   */
  private void stopAccepting() {
    closeQuietly(listener);
    listener = null;
    joinUninterruptibly(acceptor, CLOSE_WAIT_NANOS);
    acceptor = null;
  }

  private static void joinUninterruptibly(Thread thread, long nanos) {
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && thread.isAlive(); left = deadline - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread startThread(Runnable task, String role) {
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
              } finally {
                threads.remove(Thread.currentThread());
              }
            },
            "holdfast-faulty-replica-" + port + "-" + role);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
    return thread;
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // e.g. out of descriptors
        }
        continue;
      }
      if (sockets.size() >= MAX_CONNECTIONS) {
        closeQuietly(socket);
        continue;
      }
      sockets.add(socket);
      if (closed) { // close() may have swept the sockets before this one was added
        sockets.remove(socket);
        closeQuietly(socket);
        return;
      }
      startThread(() -> serve(socket), Integer.toString(threadIds.incrementAndGet()));
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      Exchange.Request request;
      try {
        request = Exchange.read(new BufferedInputStream(socket.getInputStream()), out);
      } catch (Exchange.Refused e) {
        Response refusal = Response.problem(e.status, null, e.getMessage());
        out.write(refusal.head());
        out.write(refusal.body());
        out.flush();
        return;
      }
      if (request == null) {
        return;
      }
      CountDownLatch clearedAtStart = cleared; // read before the rules: a clear() ends the fault
      long rulesSeen = rules.sequence(); // a stream that opens later is cut by rules added since
      Fault fault = rules.faultFor(request.target());
      rules.count(request.target(), fault != null); // once its fault is chosen: awaitRequests()
      Exchange exchange = new Exchange(this, request, out, clearedAtStart, socket, rulesSeen);
      if (fault == null) {
        exchange.send(exchange.forward());
      } else {
        fault.action().apply(exchange);
      }
      socket.shutdownOutput();
    } catch (IOException e) {
      // The client went away, the proxy closed, or a fault cut the connection: nothing to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() ends the thread
    } finally {
      sockets.remove(socket);
    }
  }

  /** The event streams being relayed, for {@link Exchange}. */
  OpenStreams streams() {
    return streams;
  }

  /** Sends {@code request} to the replica; answers {@code 502} if it cannot be reached. */
  Response forward(Exchange.Request request) throws IOException, InterruptedException {
    return forwarder.forward(request);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /**
   * A response recorded from the replica by {@link FaultyReplica#record(String, String...)}, to be
   * served again by {@link Fault#replay(Recorded)}.
   *
   * <p><b>Thread safety.</b> Immutable; share freely.
   */
  public static final class Recorded {
    private final String path;
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    Recorded(String path, int status, HttpHeaders headers, byte[] body) {
      this.path = path;
      this.status = status;
      this.headers = headers;
      this.body = body.clone();
    }

    /** The status the replica answered. */
    public int status() {
      return status;
    }

    /** The headers the replica answered, as received. */
    public HttpHeaders headers() {
      return headers;
    }

    /** A copy of the body the replica answered. */
    public byte[] body() {
      return body.clone();
    }

    @Override
    public String toString() {
      return "Recorded[GET " + path + " -> " + status + ", " + body.length + " bytes]";
    }
  }
}
