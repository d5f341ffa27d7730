package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a real server (a replica's PostgreSQL, say) that a test can
 * cut: {@link #cut()} drops every open connection and refuses new ones, as a database that went
 * down does, until {@link #restore()}. Unlike {@link FaultyReplica} it knows nothing of the
 * protocol it carries.
 *
 * <p>Thread-safe. Each relayed connection costs two daemon threads (the testkit runs on Java 17).
 */
public final class TcpRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean blackholed;
  private volatile boolean closed;

  private TcpRelay(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    daemon("holdfast-tcp-relay-accept", this::accept);
  }

  /**
   * Starts a relay on an ephemeral loopback port to {@code host:port}.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  public static TcpRelay start(String host, int port) {
    Objects.requireNonNull(host, "host");
    try {
      return new TcpRelay(
          new InetSocketAddress(host, port),
          new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loopback port to connect to instead of the target's. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Drops every connection through the relay and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  /**
   * Keeps every connection open, new ones too, but forwards no byte in either direction until
   * {@link #restore()}: a replica whose host froze, or a network path that silently drops
   * everything. What arrives meanwhile is held, not lost.
   */
  public void blackhole() {
    blackholed = true;
  }

  /** Relays new connections again, and bytes on the open ones after a {@link #blackhole()}. */
  public void restore() {
    cut = false;
    blackholed = false;
  }

  /** Whether the relay is cut. */
  public boolean isCut() {
    return cut;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      daemon("holdfast-tcp-relay-connection", () -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    try {
      server.connect(target, 2000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    open.add(client);
    open.add(server);
    if (cut) {
      // Cut while connecting: drop this one too.
      closeQuietly(client);
      closeQuietly(server);
    }
    daemon("holdfast-tcp-relay-pump", () -> pump(client, server));
    pump(server, client);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        while (blackholed && !cut && !closed) {
          java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: close both below.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  /** Drops every connection and stops listening. */
  @Override
  public void close() {
    closed = true;
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
