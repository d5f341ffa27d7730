package io.holdfast.it.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.it.AdminApi;
import io.holdfast.it.AdminHttp;
import io.holdfast.it.FreePorts;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart that instances do not notice (issue 23): three replicas on PostgreSQL, each
 * stopped (drained: not-ready, watches sent elsewhere, reads still served) and started again in
 * turn, under 100 SDK clients (half on the event stream, half on the long poll) while an operator
 * keeps publishing through the replicas that are up. No namespace leaves FRESH, every read the
 * application makes has its value, every acknowledged publish is in the store and reaches every
 * client.
 */
@Timeout(300)
class RollingRestartTest {

  private static final int CLIENTS = 100;
  private static final String TOKEN = "rolling-restart-admin-token-0123456789abcdef";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50));

  @TempDir Path dir;

  private final String database =
      "holdfast_rolling_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final AdminHttp adminHttp = new AdminHttp();
  private final HoldfastServer[] replicas = new HoldfastServer[3];
  private final int[] ports = new int[3];
  private final List<HoldfastClient> clients = new ArrayList<>();

  @Test
  void eachReplicaRestartedInTurn_underAHundredClients_noStaleNoFailedReadNoLostWrite()
      throws Exception {
    admin("CREATE DATABASE " + database);
    for (int i = 0; i < 3; i++) {
      ports[i] = FreePorts.any();
      replicas[i] = start(i);
    }
    AdminApi first = admin(0);
    first.createNamespace("core");
    List<String> credentials = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      credentials.add(first.createInstance("tenant-" + i, "live"));
    }
    List<Long> acknowledged = new ArrayList<>();
    acknowledged.add(first.publishLayer("core", "default", "{\"n\":0}"));

    Queue<String> notFresh = new ConcurrentLinkedQueue<>();
    List<URI> uris = List.of(uri(0), uri(1), uri(2));
    for (int i = 0; i < CLIENTS; i++) {
      String instance = "tenant-" + i;
      HoldfastClient client =
          HoldfastClient.builder()
              .replicas(uris)
              .instance(instance, credentials.get(i))
              .trustedKey(replicas[0].verificationKey())
              .namespaces("core")
              .eventStream(i % 2 == 0)
              .requestTimeout(Duration.ofSeconds(2))
              .heartbeatInterval(Duration.ZERO)
              .build();
      client.addStatusListener(
          (namespace, previous, current) -> {
            if (current.status() != Status.FRESH) {
              notFresh.add(instance + " " + current.status() + ": " + current.reason());
            }
          });
      clients.add(client);
      client.start();
    }
    for (HoldfastClient client : clients) {
      assertThat(client.awaitFresh(Duration.ofSeconds(60))).isTrue();
    }

    // The application reads all along: every read must have its value.
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    Queue<String> failedReads = new ConcurrentLinkedQueue<>();
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (reading.get()) {
                    for (HoldfastClient client : clients) {
                      try {
                        JsonNode n = client.snapshot("core").content().get("n");
                        if (n == null || !n.isInt()) {
                          failedReads.add("no value: " + client.snapshot("core").content());
                        }
                      } catch (RuntimeException e) {
                        failedReads.add(e.toString());
                      }
                      reads.incrementAndGet();
                    }
                    Thread.onSpinWait();
                  }
                });

    int value = 0;
    for (int restarting = 0; restarting < 3; restarting++) {
      AdminApi up = admin((restarting + 1) % 3);
      acknowledged.add(up.publishLayer("core", "default", "{\"n\":" + ++value + "}"));
      HoldfastServer stopping = replicas[restarting];
      Thread stop = Thread.ofPlatform().start(stopping::close);
      // Written while the replica drains and stops: the others take it.
      acknowledged.add(up.publishLayer("core", "default", "{\"n\":" + ++value + "}"));
      stop.join(Duration.ofSeconds(60));
      assertThat(stop.isAlive()).as("replica %d stopped", restarting).isFalse();
      replicas[restarting] = start(restarting);
    }
    acknowledged.add(admin(0).publishLayer("core", "default", "{\"n\":" + ++value + "}"));
    int last = value;
    for (HoldfastClient client : clients) {
      EVENTUALLY.until(() -> client.snapshot("core").content().path("n").asInt() == last);
    }
    reading.set(false);
    reader.join();

    assertThat(notFresh).as("status changes away from FRESH").isEmpty();
    assertThat(failedReads).as("reads without their value").isEmpty();
    assertThat(reads.get()).isGreaterThan(CLIENTS);
    JsonNode history = admin(2).call("GET", "/v1/admin/namespaces/core/history?limit=50", null);
    List<Long> stored = new ArrayList<>();
    history.get("history").forEach(h -> stored.add(h.get("revision").asLong()));
    assertThat(stored).as("every acknowledged publish is stored").containsAll(acknowledged);
  }

  private HoldfastServer start(int index) {
    ServerConfig.Builder config =
        ServerConfig.builder(dir.resolve("replica-" + index))
            .port(ports[index])
            .jdbcUrl(POSTGRES + database + "?user=postgres")
            .adminToken(TOKEN)
            .refreshInterval(Duration.ofMillis(100))
            .drainDelay(Duration.ofMillis(500));
    if (index > 0) {
      config.signingKey(dir.resolve("replica-0").resolve("signing-key.pem"));
    }
    return HoldfastServer.start(config.build());
  }

  private AdminApi admin(int index) {
    return new AdminApi(adminHttp, ports[index], TOKEN);
  }

  private URI uri(int index) {
    return URI.create("http://127.0.0.1:" + ports[index]);
  }

  @AfterEach
  void stop() throws SQLException {
    clients.forEach(HoldfastClient::close);
    for (HoldfastServer replica : replicas) {
      if (replica != null) {
        replica.close();
      }
    }
    adminHttp.close();
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
