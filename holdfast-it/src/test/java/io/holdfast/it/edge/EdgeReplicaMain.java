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

/**
 * A replica in a process of its own with tight edge limits, for the hostile-client suite:
 * {@code EdgeReplicaMain <data-dir> <admin-token> <idle-ms> <header-ms> <request-ms>
 * <max-connections> <per-address> <watches-per-instance> <requests-per-instance>}. Prints
 * {@code READY <port>} once it serves.
 *
 * <p>It reads commands from standard input to inject descriptor exhaustion into its own process
 * (FAULTS F1), as a co-tenant of the process that leaks files would: {@code HOG} opens
 * {@code /dev/null} until the process may open no more and prints {@code HOGGED <n>};
 * {@code FREE} closes them and prints {@code FREED}.
 */
public final class EdgeReplicaMain {

  private EdgeReplicaMain() {}

  public static void main(String[] args) throws IOException {
    EdgeSettings edge = new EdgeSettings(Duration.ofMillis(Long.parseLong(args[2])),
        Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])),
        Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]), Integer.parseInt(args[8]));
    ServerConfig config = ServerConfig.builder(Path.of(args[0]))
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
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case "HOG" -> {
          try {
            while (hogged.size() < 1_000_000) {
              hogged.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
            }
          } catch (IOException e) {
            // "Too many open files": the process is out of descriptors, as intended.
          }
          System.out.println("HOGGED " + hogged.size());
        }
        case "FREE" -> {
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
