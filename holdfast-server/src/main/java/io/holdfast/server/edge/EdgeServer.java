package io.holdfast.server.edge;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's web server with its edge kept: the sweeper of {@link EdgeConnections}, and a
 * watchdog that brings the instance listener back if it dies.
 *
 * <p>Why a watchdog: Helidon's accept loop ends for good on any failure of {@code accept}, above
 * all "Too many open files", while the process stays up and looks alive (FAULTS F1). The caps keep
 * connections short of the descriptor limit, but other things use descriptors too. So once a second
 * the watchdog connects to its own port: when that is refused twice in a row the listener is dead,
 * and the web server is built and started again on the same port; while descriptors are exhausted
 * even that connect fails, which is logged once per episode and counted. Readiness reports not
 * ready while the listener is down or the connection cap is reached ({@link #accepting()}).
 *
 * <p>Both tasks run on one platform daemon thread, each fenced so a failure cannot stop it.
 * Thread-safe.
 */
public final class EdgeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("holdfast.edge");

  /** Longest request line answered (414 beyond); Helidon's prologue limit is set to the same. */
  public static final int MAX_REQUEST_LINE_BYTES = RequestLineConnection.MAX_LINE_BYTES;

  /** How often deadlines are checked: the precision of every edge timeout. */
  public static final Duration SWEEP_INTERVAL = Duration.ofMillis(250);

  /** How often the listener is checked. */
  static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(1);

  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  private final IntFunction<WebServer> factory;
  private final EdgeConnections connections;
  private final InetAddress probeAddress;
  private final ScheduledExecutorService timer;
  private final LongAdder restarts = new LongAdder();
  private final LongAdder exhaustionEpisodes = new LongAdder();
  private volatile WebServer web;
  private volatile int port;

  /** Watchdog state, touched only on the timer thread. */
  private int refusedInARow;

  private boolean exhausted;

  private EdgeServer(
      IntFunction<WebServer> factory, EdgeConnections connections, InetAddress probeAddress) {
    this.factory = factory;
    this.connections = connections;
    this.probeAddress = probeAddress;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "holdfast-edge");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Builds the web server for {@code port} with {@code factory}, starts it, and starts keeping its
   * edge.
   *
   * @param factory builds an unstarted server on the given port (0 for a free one); called again
   *     with the bound port when the listener must be restarted
   */
  public static EdgeServer start(
      IntFunction<WebServer> factory, String host, int port, EdgeConnections connections) {
    EdgeServer server = new EdgeServer(factory, connections, probeAddress(host));
    try {
      server.web = factory.apply(port).start();
    } catch (RuntimeException e) {
      server.timer.shutdownNow();
      throw e;
    }
    server.port = server.web.port();
    if (server.port < 0) {
      // Helidon logs why (a port taken, say) and stops; it does not throw.
      server.web.stop();
      server.timer.shutdownNow();
      throw new IllegalStateException("the web server did not start on " + host + ":" + port);
    }
    server.timer.scheduleWithFixedDelay(
        server::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    server.timer.scheduleWithFixedDelay(
        server::watch,
        WATCHDOG_INTERVAL.toMillis(),
        WATCHDOG_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return server;
  }

  /**
   * Socket options for the instance listener that register each accepted socket with {@code
   * connections}.
   */
  public static SocketOptions acceptHook(SocketOptions options, EdgeConnections connections) {
    return new AcceptHook(options, connections);
  }

  /** The selector that judges each connection's first request line before HTTP/1.1 takes it. */
  public static ServerConnectionSelector requestLineSelector(
      Http1ConnectionSelector http1, EdgeConnections connections, ClientMistakeLog log) {
    return new RequestLineSelector(http1, connections, log);
  }

  /** A wildcard bind is checked through loopback. */
  private static InetAddress probeAddress(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  private void sweep() {
    try {
      connections.sweep();
    } catch (RuntimeException e) {
      LOG.error("edge sweep failed; it runs again in {} ms", SWEEP_INTERVAL.toMillis(), e);
    }
  }

  private void watch() {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(probeAddress, port), CONNECT_TIMEOUT_MILLIS);
      refusedInARow = 0;
      connections.listening(true);
      if (exhausted) {
        exhausted = false;
        LOG.warn("file descriptors are available again");
      }
    } catch (ConnectException e) {
      if (++refusedInARow >= 2) {
        connections.listening(false);
        restart();
      }
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("too many open files") && !exhausted) {
        exhausted = true;
        exhaustionEpisodes.increment();
        LOG.warn(
            "the process has run out of file descriptors; the edge's caps and timeouts free them, and the "
                + "listener is restarted if it stopped");
      }
    } catch (RuntimeException e) {
      LOG.error("edge watchdog failed; it runs again in {} s", WATCHDOG_INTERVAL.toSeconds(), e);
    }
  }

  private void restart() {
    LOG.warn(
        "the instance listener on port {} stopped accepting connections (Helidon's accept loop ends when "
            + "accept fails, as when file descriptors run out); starting it again",
        port);
    try {
      web.stop();
    } catch (RuntimeException e) {
      LOG.debug("stopping the dead listener failed", e);
    }
    connections.closeAll();
    try {
      web = factory.apply(port).start();
      restarts.increment();
      refusedInARow = 0;
      connections.listening(true);
      LOG.warn("the instance listener on port {} accepts connections again", port);
    } catch (RuntimeException e) {
      LOG.warn(
          "the instance listener could not start again yet ({}); retrying in {} s",
          e.getMessage(),
          WATCHDOG_INTERVAL.toSeconds());
    }
  }

  /** The instance port. */
  public int port() {
    return port;
  }

  /** The running web server (replaced when the listener is restarted). */
  public WebServer web() {
    return web;
  }

  /**
   * Whether new connections are taken: the listener lives and the connection cap is not reached.
   */
  public boolean accepting() {
    return connections.accepting();
  }

  public EdgeConnections connections() {
    return connections;
  }

  /** How often the listener was found dead and started again. */
  public long restarts() {
    return restarts.sum();
  }

  /** How many times the process ran out of file descriptors, once per episode. */
  public long exhaustionEpisodes() {
    return exhaustionEpisodes.sum();
  }

  /** Stops the watchdog first (so a stopping listener is not restarted), then the server. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    web.stop();
  }
}
