package io.holdfast.it.process;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A replica in a process of its own, for system tests that need real separate processes:
 * {@code ReplicaMain <data-dir> <port> <admin-token> <probe-interval-ms> [probe-target …]}.
 * Prints {@code READY <port>} once it serves, and runs until the process is stopped.
 */
public final class ReplicaMain {

  private ReplicaMain() {}

  public static void main(String[] args) throws InterruptedException {
    List<URI> targets = Arrays.stream(args).skip(4).map(URI::create).toList();
    ServerConfig config = ServerConfig.builder(Path.of(args[0]))
        .port(Integer.parseInt(args[1]))
        .adminToken(args[2])
        .refreshInterval(Duration.ofMillis(100))
        .probeEnabled(!targets.isEmpty())
        .probeInterval(Duration.ofMillis(Long.parseLong(args[3])))
        .probeTargets(targets)
        .build();
    HoldfastServer server = HoldfastServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
