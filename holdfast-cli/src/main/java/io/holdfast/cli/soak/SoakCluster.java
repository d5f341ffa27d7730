package io.holdfast.cli.soak;

import io.holdfast.cli.AdminClient;
import io.holdfast.testkit.FaultyReplica;
import io.holdfast.testkit.TcpRelay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The replicas under test: {@code holdfast server} processes over one store, each behind a {@link
 * FaultyReplica} that the clients use, and on PostgreSQL a {@link TcpRelay} between every replica
 * and the database, which the nemesis cuts as a database going down. Admin writes go to the replica
 * processes directly. Closing it stops everything it started.
 */
final class SoakCluster implements AutoCloseable {

  private final String adminToken = "hfa_soak_" + HexFormat.of().formatHex(randomBytes());
  // Written while starting, read by a signal's cleanup meanwhile.
  private final List<ReplicaProcess> replicas = new CopyOnWriteArrayList<>();
  private final List<FaultyReplica> proxies = new CopyOnWriteArrayList<>();
  private final List<AdminClient> admins = new CopyOnWriteArrayList<>();
  private final TcpRelay relay;

  private SoakCluster(TcpRelay relay) {
    this.relay = relay;
  }

  /**
   * Creates the store (PostgreSQL: a database of {@code databases}) and starts every replica,
   * handing the cluster to {@code created} before its first replica starts: a signal during the
   * minutes a start may take still finds every process to stop (the replicas are children the JVM
   * does not end on its own).
   */
  static SoakCluster start(
      SoakSettings settings, SoakDatabases databases, Path dir, Consumer<SoakCluster> created)
      throws IOException, InterruptedException, TimeoutException, SQLException {
    TcpRelay relay = null;
    String jdbcUrl = null;
    if (settings.store() == StoreKind.POSTGRES) {
      String database = databases.create("store");
      InetSocketAddress postgres = settings.postgresAddress();
      relay = TcpRelay.start(postgres.getHostString(), postgres.getPort());
      jdbcUrl =
          settings
              .databaseUrl(database)
              .replaceFirst("//[^/]+/", "//127.0.0.1:" + relay.port() + "/");
    }
    SoakCluster cluster = new SoakCluster(relay);
    created.accept(cluster);
    try {
      Path sharedKey = dir.resolve("replica-1").resolve("signing-key.pem");
      for (int i = 1; i <= settings.replicas(); i++) {
        String name = "replica-" + i;
        // SQLite: one data directory for all, as replicas on one host share it. PostgreSQL: one
        // each, sharing the signing key the first one creates.
        Path dataDir = jdbcUrl == null ? dir.resolve("data") : dir.resolve(name);
        String url = jdbcUrl;
        ReplicaProcess replica =
            new ReplicaProcess(
                name,
                port -> arguments(port, dataDir, url, url == null ? null : sharedKey),
                Map.of(
                    "HOLDFAST_ADMIN_TOKEN", cluster.adminToken,
                    "HOLDFAST_ACCESS_LOG", "WARN",
                    // The start is read from the INFO line "listening on ...", whatever the
                    // caller's own HOLDFAST_LOG_LEVEL.
                    "HOLDFAST_LOG_LEVEL", "INFO",
                    "HOLDFAST_STORE_TIMEOUT", "2s"),
                dir.resolve("logs").resolve(name + ".log"));
        cluster.replicas.add(replica);
        // One at a time: the first creates the schema and the signing key the others use.
        replica.start();
        cluster.proxies.add(FaultyReplica.start(replica.uri()));
        cluster.admins.add(new AdminClient(replica.uri(), cluster.adminToken));
      }
      return cluster;
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static List<String> arguments(int port, Path dataDir, String jdbcUrl, Path signingKey) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--port", Integer.toString(port), "--management-port", "0"));
    args.addAll(List.of("--data-dir", dataDir.toString()));
    args.addAll(List.of("--refresh-interval", "250ms", "--probe-enabled", "false"));
    if (jdbcUrl != null) {
      args.addAll(List.of("--jdbc-url", jdbcUrl, "--signing-key", signingKey.toString()));
    }
    return args;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  List<ReplicaProcess> replicas() {
    return List.copyOf(replicas);
  }

  /** The fault proxies, in replica order: what the clients are given. */
  List<FaultyReplica> proxies() {
    return List.copyOf(proxies);
  }

  List<URI> clientUris() {
    return proxies.stream().map(FaultyReplica::uri).toList();
  }

  /** The relay in front of PostgreSQL; empty on SQLite. */
  Optional<TcpRelay> relay() {
    return Optional.ofNullable(relay);
  }

  /** The admin API of one replica process, directly. */
  AdminClient admin(ReplicaProcess replica) {
    return admins.get(replicas.indexOf(replica));
  }

  /**
   * The admin API of a replica chosen by {@code pick} (an index below the replica count), or of the
   * next one alive if that one is down: writers spread over the replicas, as a load balancer does.
   */
  AdminClient admin(int pick) {
    for (int i = 0; i < replicas.size(); i++) {
      int index = (pick + i) % replicas.size();
      if (replicas.get(index).alive()) {
        return admins.get(index);
      }
    }
    return admins.get(pick % replicas.size());
  }

  @Override
  public void close() {
    proxies.forEach(FaultyReplica::close);
    replicas.forEach(ReplicaProcess::close);
    if (relay != null) {
      relay.close();
    }
  }
}
