package io.holdfast.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS front for a plain-HTTP replica, as a load balancer terminating TLS would be: it presents a
 * given certificate, and forwards the bytes of every connection whose handshake succeeds. It counts
 * what it saw, so a test can tell a refused certificate from a client that fell back to plain HTTP
 * (FAULTS A24).
 */
public final class TlsFront implements AutoCloseable {

  private final SSLServerSocket listener;
  private final InetSocketAddress upstream;
  private final AtomicInteger handshakes = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
  private final Thread acceptor;

  private TlsFront(SSLServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
    this.acceptor = Thread.ofVirtual().name("tls-front").start(this::accept);
  }

  /**
   * Listens on a loopback port, presenting {@code serverContext}'s certificate, in front of {@code
   * upstream}.
   */
  public static TlsFront start(SSLContext serverContext, URI upstream) {
    try {
      SSLServerSocket listener =
          (SSLServerSocket)
              serverContext
                  .getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new TlsFront(listener, new InetSocketAddress(upstream.getHost(), upstream.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The https URI clients are given. */
  public URI uri() {
    return URI.create("https://127.0.0.1:" + listener.getLocalPort() + "/");
  }

  /** Connections whose handshake succeeded. */
  public int handshakes() {
    return handshakes.get();
  }

  /** Why the other connections failed, as the server side saw it. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) listener.accept();
        sockets.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SSLSocket client) {
    try {
      client.startHandshake();
    } catch (IOException e) {
      failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
      closeQuietly(client);
      return;
    }
    handshakes.incrementAndGet();
    try {
      Socket server = new Socket(upstream.getAddress(), upstream.getPort());
      sockets.add(server);
      Thread.ofVirtual().start(() -> pump(server, client));
      pump(client, server);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // One side closed: the other follows.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort.
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // Closing is best effort.
    }
    sockets.forEach(TlsFront::closeQuietly);
    acceptor.interrupt();
  }
}
