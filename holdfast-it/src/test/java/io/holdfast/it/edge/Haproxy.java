package io.holdfast.it.edge;

import io.holdfast.it.process.JavaProcess;
import io.holdfast.testkit.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's HAProxy in front of replicas, terminating TLS with a certificate from a throwaway
 * authority ({@link TestPki}): a process of its own in the foreground ({@code -db}), logging to its
 * standard output, with a configuration written by the test. Installed from Debian's packages when
 * it is missing ({@link DebianPackage}). Close it to stop HAProxy.
 */
final class Haproxy implements ProxyFront {

  private final JavaProcess process;
  private final Path log;
  private final int port;
  private final TestPki authority;

  private Haproxy(JavaProcess process, Path log, int port, TestPki authority) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.authority = authority;
  }

  /**
   * Starts HAProxy on a free loopback port with {@code config}, in which {@code LISTEN} stands for
   * that address and port and {@code CERTIFICATE} for a PEM file of a certificate for {@code
   * 127.0.0.1} followed by its key, signed by a new authority.
   */
  static Haproxy start(Path dir, String config) throws IOException {
    Path binary = DebianPackage.binary("haproxy", "haproxy");
    Files.createDirectories(dir);
    TestPki authority = TestPki.create(dir, "haproxy");
    TestPki.Issued issued = authority.server("haproxy");
    // HAProxy reads the certificate chain and its key from one file.
    Path certificate = dir.resolve("haproxy.pem");
    Files.writeString(
        certificate,
        Files.readString(issued.certificate()) + Files.readString(issued.privateKey()),
        StandardCharsets.US_ASCII);
    int port = ProxyFront.freePort();
    Path configFile = dir.resolve("haproxy.cfg");
    Files.writeString(
        configFile,
        config
            .replace("LISTEN", "127.0.0.1:" + port)
            .replace("CERTIFICATE", certificate.toString()),
        StandardCharsets.UTF_8);
    Path log = dir.resolve("haproxy.log");
    JavaProcess process =
        JavaProcess.start(List.of(binary.toString(), "-db", "-f", configFile.toString()), log);
    ProxyFront.awaitListening("haproxy", process, port, log);
    return new Haproxy(process, log, port, authority);
  }

  @Override
  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + path);
  }

  @Override
  public EdgeClient client(InetAddress from) {
    return new EdgeClient(authority.trustingContext(), from);
  }

  @Override
  public javax.net.ssl.SSLContext sslContext() {
    return authority.trustingContext();
  }

  /**
   * A replica marked down ({@code Server replicas/a is DOWN}, {@code no server available}), or a
   * request HAProxy ended itself on a timeout or answered with its own 502/503/504 (termination
   * states starting {@code s} or {@code S}, such as {@code sH--}, in the {@code httplog} line).
   */
  @Override
  public List<String> gaveUp() {
    return log()
        .lines()
        .filter(
            line ->
                line.contains(" is DOWN")
                    || line.contains("no server available")
                    || line.matches(".* [sS][RQCHDLT][-A-Za-z]{2} .*")
                    || line.matches(".* -?\\d+/-?\\d+/-?\\d+/-?\\d+/\\+?\\d+ 50[234] .*"))
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
