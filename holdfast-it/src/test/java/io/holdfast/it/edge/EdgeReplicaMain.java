package io.holdfast.it.edge;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.EdgeSettings;
import io.holdfast.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A replica in a process of its own with tight edge limits, for the hostile-client suite: {@code
 * EdgeReplicaMain <data-dir> <admin-token> <idle-ms> <header-ms> <request-ms> <max-connections>
 * <per-address> <watches-per-instance> <requests-per-instance>}. Prints {@code READY <port>} once
 * it serves.
 *
 * <p>It reads commands from standard input to inject descriptor exhaustion into its own process
 * (FAULTS F1), as a co-tenant of the process that leaks files would: {@code HOG} opens {@code
 * /dev/null} until the process may open no more, prints {@code HOGGED <n>}, and goes on taking
 * every descriptor that frees up, every millisecond; {@code FREE} stops, closes them all and prints
 * {@code FREED}.
 */
public final class EdgeReplicaMain {

  private EdgeReplicaMain() {}

  /** Opens {@code /dev/null} until the process may open no more. */
  private static void grabAll(List<FileChannel> hogged) {
    try {
      while (hogged.size() < 1_000_000) {
        hogged.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
      }
    } catch (IOException e) {
      // "Too many open files": the process is out of descriptors, as intended.
    }
  }

  public static void main(String[] args) throws IOException {
    // The suite reads what the edge and the access log say about hostile clients (FAULTS F8);
    // the test logging configuration keeps everything else at WARN.
    for (String name : new String[] {"holdfast.edge", "holdfast.access"}) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
          .setLevel(ch.qos.logback.classic.Level.INFO);
    }
    EdgeSettings edge =
        new EdgeSettings(
            Duration.ofMillis(Long.parseLong(args[2])),
            Duration.ofMillis(Long.parseLong(args[3])),
            Duration.ofMillis(Long.parseLong(args[4])),
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]),
            Integer.parseInt(args[7]),
            Integer.parseInt(args[8]),
            EdgeSettings.DEFAULT_MAX_ADMIN_REQUESTS);
    ServerConfig config =
        ServerConfig.builder(Path.of(args[0]))
            .port(0)
            .adminToken(args[1])
            .refreshInterval(Duration.ofMillis(100))
            .edge(edge)
            .build();
    HoldfastServer server = HoldfastServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.port());
    System.out.flush();
    List<FileChannel> hogged = new ArrayList<>();
    AtomicBoolean hogging = new AtomicBoolean();
    Thread hog = null;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case "HOG" -> {
          grabAll(hogged);
          System.out.println("HOGGED " + hogged.size());
          hogging.set(true);
          hog =
              Thread.ofPlatform()
                  .daemon()
                  .start(
                      () -> {
                        while (hogging.get()) {
                          grabAll(hogged);
                          LockSupport.parkNanos(1_000_000);
                        }
                      });
        }
        case "FREE" -> {
          hogging.set(false);
          if (hog != null) {
            try {
              hog.join();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          for (FileChannel channel : hogged) {
            channel.close();
          }
          hogged.clear();
          System.out.println("FREED");
        }
        default -> System.out.println("UNKNOWN " + line);
      }
      System.out.flush();
    }
  }
}
