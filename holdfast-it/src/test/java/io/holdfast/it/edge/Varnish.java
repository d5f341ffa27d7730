package io.holdfast.it.edge;

import io.holdfast.it.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Varnish in front of replicas: {@code varnishd} in the foreground ({@code -F}) with a VCL
 * written by the test, a working directory ({@code -n}) of its own, no jail (it runs as the test's
 * user and reads the test's private directory), no management port, and a small memory store.
 * Installed from Debian's packages when it is missing ({@link DebianPackage}). Varnish speaks plain
 * HTTP only. Close it to stop Varnish.
 *
 * <p>In its VCL, {@code REPLICA_A} and {@code REPLICA_B} stand for the replicas' ports.
 */
final class Varnish implements ProxyFront {

  private final JavaProcess process;
  private final Path log;
  private final int port;

  private Varnish(JavaProcess process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts Varnish on a free loopback port with {@code vcl}, in front of {@code replicas}. */
  static Varnish start(Path dir, TwoTenantReplicas replicas, String vcl) throws IOException {
    Path binary = DebianPackage.binary("varnishd", "varnish");
    Files.createDirectories(dir);
    int port = ProxyFront.freePort();
    Path vclFile = dir.resolve("holdfast.vcl");
    Files.writeString(
        vclFile,
        vcl.replace("REPLICA_A", replicas.ports().get(0).toString())
            .replace("REPLICA_B", replicas.ports().get(1).toString()),
        StandardCharsets.UTF_8);
    Path log = dir.resolve("varnishd.log");
    JavaProcess process =
        JavaProcess.start(
            List.of(
                binary.toString(),
                "-F",
                "-j",
                "none",
                "-n",
                dir.resolve("work").toString(),
                "-a",
                "127.0.0.1:" + port,
                "-T",
                "none",
                "-f",
                vclFile.toString(),
                "-s",
                "malloc,32m"),
            log);
    ProxyFront.awaitListening("varnishd", process, port, log);
    return new Varnish(process, log, port);
  }

  @Override
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public EdgeClient client(InetAddress from) {
    return new EdgeClient(null, from);
  }

  /**
   * Fetches that failed (a timeout among them) and replicas that went sick, from Varnish's
   * shared-memory log as {@code varnishlog -d} dumps it: Varnish writes neither to its output.
   */
  @Override
  public List<String> gaveUp() {
    Path dump = log.resolveSibling("varnishlog.txt");
    try {
      Process varnishlog =
          new ProcessBuilder(
                  DebianPackage.binary("varnishlog", "varnish").toString(),
                  "-d",
                  "-n",
                  log.resolveSibling("work").toString(),
                  "-g",
                  "raw",
                  "-i",
                  "Backend_health",
                  "-i",
                  "FetchError")
              .redirectErrorStream(true)
              .redirectOutput(dump.toFile())
              .start();
      if (!varnishlog.waitFor(30, TimeUnit.SECONDS) || varnishlog.exitValue() != 0) {
        varnishlog.destroyForcibly();
        throw new IllegalStateException("varnishlog -d failed: " + ProxyFront.readOrEmpty(dump));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return ProxyFront.readOrEmpty(dump)
        .lines()
        .filter(line -> line.contains("FetchError") || line.contains("Went sick"))
        .toList();
  }

  @Override
  public String log() {
    return ProxyFront.readOrEmpty(log);
  }

  @Override
  public void close() {
    process.close();
  }
}
