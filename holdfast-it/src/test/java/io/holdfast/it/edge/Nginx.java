package io.holdfast.it.edge;

import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's nginx in front of replicas, as an operator would put it there: a process of its own,
 * in the foreground, with a configuration written by the test (the {@code http} block's
 * contents) and everything else (pid, logs, temporary files, cache) under one directory.
 * Installed from Debian's packages when it is missing, as {@code bench/http-vs-nginx.sh} does; if
 * it can be neither found nor installed the test fails, it is never skipped. Close it to stop
 * nginx.
 */
final class Nginx implements AutoCloseable {

  private static final List<Path> KNOWN_PLACES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"));

  private final JavaProcess process;
  private final Path dir;
  private final int port;

  private Nginx(JavaProcess process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts nginx listening on a free loopback port, with {@code httpBlock} inside {@code http {}};
   * the block's {@code server} uses {@code listen LISTEN;}, which is replaced by the port.
   */
  static Nginx start(Path dir, String httpBlock) throws IOException {
    Path binary = binary();
    for (String sub : List.of("cache", "proxy-temp", "body-temp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    int port = freePort();
    // Started as root, nginx's workers would drop to "nobody", who cannot enter the test's
    // private temporary directory: they stay the user who runs the test (a notice otherwise).
    String conf = """
        user %3$s;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        worker_processes 1;
        events { worker_connections 256; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/body-temp;
          proxy_temp_path %1$s/proxy-temp;
        %2$s
        }
        """.formatted(dir, httpBlock.replace("listen LISTEN;", "listen 127.0.0.1:" + port + ";"),
        System.getProperty("user.name"));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    JavaProcess process = JavaProcess.start(
        List.of(binary.toString(), "-p", dir.toString(), "-c", confFile.toString(), "-g", "daemon off;"),
        dir.resolve("nginx.out"));
    try {
      Awaitility.await("nginx listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!process.alive()) {
              throw new IllegalStateException("nginx ended at start: " + Files.readString(dir.resolve("nginx.out"))
                  + readOrEmpty(dir.resolve("error.log")));
            }
            return accepts(port);
          });
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return new Nginx(process, dir, port);
  }

  /** Where clients reach the replicas through nginx. */
  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** nginx's error log so far: upstream timeouts and replicas marked down are written here. */
  String errorLog() {
    return readOrEmpty(dir.resolve("error.log"));
  }

  @Override
  public void close() {
    process.close();
  }

  /** nginx from the PATH or Debian's place for it, installed with apt-get if missing. */
  static synchronized Path binary() {
    Path found = find();
    if (found != null) {
      return found;
    }
    try {
      run(List.of("apt-get", "update", "-qq", "-o", "DPkg::Lock::Timeout=300"));
      run(List.of("apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300", "nginx-light"));
    } catch (IOException e) {
      throw new IllegalStateException("nginx is missing and apt-get could not be run to install it", e);
    }
    found = find();
    if (found == null) {
      throw new IllegalStateException("nginx is missing and installing Debian's nginx-light did not provide it");
    }
    return found;
  }

  private static Path find() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "nginx"))) {
        return Path.of(entry, "nginx");
      }
    }
    return KNOWN_PLACES.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  private static void run(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing nginx", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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

  private static String readOrEmpty(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
