package io.holdfast.it.edge;

import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's nginx in front of replicas, as an operator would put it there: a process of its own, in
 * the foreground, with a configuration written by the test (the {@code http} block's contents) and
 * everything else (pid, logs, temporary files, cache) under one directory. Installed from Debian's
 * packages ({@code nginx-light}) when it is missing ({@link DebianPackage}). Close it to stop
 * nginx.
 */
final class Nginx implements ProxyFront {

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
    Path binary = DebianPackage.binary("nginx", "nginx-light");
    for (String sub : List.of("cache", "proxy-temp", "body-temp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    int port = ProxyFront.freePort();
    // Started as root, nginx's workers would drop to "nobody", who cannot enter the test's
    // private temporary directory: they stay the user who runs the test (a notice otherwise).
    String conf =
        """
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
        """
            .formatted(
                dir,
                httpBlock.replace("listen LISTEN;", "listen 127.0.0.1:" + port + ";"),
                System.getProperty("user.name"));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    JavaProcess process =
        JavaProcess.start(
            List.of(
                binary.toString(),
                "-p",
                dir.toString(),
                "-c",
                confFile.toString(),
                "-g",
                "daemon off;"),
            dir.resolve("nginx.out"));
    ProxyFront.awaitListening("nginx", process, port, dir.resolve("error.log"));
    return new Nginx(process, dir, port);
  }

  @Override
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public EdgeClient client(InetAddress from) {
    return new EdgeClient(null, from);
  }

  /** Upstream timeouts and replicas marked down, from nginx's error log. */
  @Override
  public List<String> gaveUp() {
    return log()
        .lines()
        .filter(line -> line.contains("upstream timed out") || line.contains("no live upstreams"))
        .toList();
  }

  /** nginx's error log so far. */
  @Override
  public String log() {
    return ProxyFront.readOrEmpty(dir.resolve("error.log"));
  }

  @Override
  public void close() {
    process.close();
  }
}
