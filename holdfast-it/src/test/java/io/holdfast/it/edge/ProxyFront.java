package io.holdfast.it.edge;

import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A real proxy process in front of the replicas (nginx, HAProxy, Varnish), listening on a free
 * loopback port chosen by the test. Close it to stop the process.
 */
interface ProxyFront extends AutoCloseable {

  /** Where clients reach the replicas through the proxy. */
  URI uri(String path);

  /** A client that can reach the proxy (one that trusts its certificate, when it speaks TLS). */
  default EdgeClient client() {
    return client(null);
  }

  /**
   * What an SDK client needs to trust the proxy's certificate; {@code null} when it speaks plain
   * HTTP.
   */
  default javax.net.ssl.SSLContext sslContext() {
    return null;
  }

  /** As {@link #client()}, connecting from {@code from} (a loopback address; {@code null}: any). */
  EdgeClient client(InetAddress from);

  /**
   * The lines of the proxy's own log that say it gave up on a replica: an upstream timeout, or a
   * replica marked down. Empty when it did neither.
   */
  List<String> gaveUp();

  /** The proxy's log so far, for messages of failed assertions. */
  String log();

  @Override
  void close();

  /** A loopback port nobody listens on now, for the proxy to take. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code process} accepts connections on {@code port}; fails at once if it ends. */
  static void awaitListening(String name, JavaProcess process, int port, Path log) {
    try {
      Awaitility.await(name + " listening on " + port)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.alive()) {
                  throw new IllegalStateException(name + " ended at start: " + readOrEmpty(log));
                }
                return accepts(port);
              });
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String readOrEmpty(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
