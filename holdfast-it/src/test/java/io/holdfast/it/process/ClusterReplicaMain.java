package io.holdfast.it.process;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A replica of a PostgreSQL cluster in a process of its own: {@code ClusterReplicaMain <data-dir>
 * <port> <admin-token> <jdbc-url> <signing-key> <refresh-ms>}. Replicas of one cluster share the
 * JDBC URL, the signing key and the admin token, each with a data directory of its own. Prints
 * {@code READY <port>} once it serves.
 */
public final class ClusterReplicaMain {

  private ClusterReplicaMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServerConfig config =
        ServerConfig.builder(Path.of(args[0]))
            .port(Integer.parseInt(args[1]))
            .adminToken(args[2])
            .jdbcUrl(args[3])
            .signingKey(Path.of(args[4]))
            .refreshInterval(Duration.ofMillis(Long.parseLong(args[5])))
            .storeTimeout(Duration.ofSeconds(2))
            .build();
    HoldfastServer server = HoldfastServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("READY " + server.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
