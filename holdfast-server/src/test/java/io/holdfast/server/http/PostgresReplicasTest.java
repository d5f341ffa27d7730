package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import io.holdfast.server.store.Database;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas on separate data directories (as on separate hosts) sharing one real PostgreSQL
 * database, each polling the store only every ten minutes: what the others publish reaches them
 * through LISTEN/NOTIFY, also after the listening connection is killed.
 */
class PostgresReplicasTest {

  private static final ConditionFactory SOON =
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  private static final String RUN =
      "holdfast_replicas_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String TOKEN = "replicas-test-admin-token-0123456789";

  @TempDir Path hostA;

  @TempDir Path hostB;

  private final String database = RUN + "_" + DATABASES.incrementAndGet();
  private ServerFixture a;
  private ServerFixture b;

  @BeforeEach
  void createDatabase() throws SQLException {
    admin("CREATE DATABASE " + database);
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The single number that {@code sql} selects, on the maintenance database. */
  private static int count(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = c.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }

  private String url() {
    return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
  }

  @AfterEach
  void stop() throws SQLException {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  /** Two replicas, one signing key and one admin token between them, as a cluster is set up. */
  private void startPair() {
    a = replica(hostA, hostA.resolve("signing-key.pem"));
    b = replica(hostB, hostA.resolve("signing-key.pem"));
  }

  private ServerFixture replica(Path dataDir, Path signingKey) {
    return ServerFixture.startConfigured(
        dataDir,
        config ->
            config
                .jdbcUrl(url())
                .signingKey(signingKey)
                .adminToken(TOKEN)
                .refreshInterval(Duration.ofMinutes(10)));
  }

  @Test
  void aPublishThroughOneReplica_isServedByTheOther_withoutWaitingForItsPoll() {
    startPair();
    assertThat(Database.open(url(), Duration.ofSeconds(5)))
        .satisfies(
            database -> {
              assertThat(database.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
              database.close();
            });
    a.createNamespace("core");
    String credential = a.createInstance("acme-prod", "live");
    long revision = a.publishLayer("core", "default", "{\"maxUsers\":10}");

    SOON.until(() -> servedRevision(b, credential) == revision);
    long next = b.publishLayer("core", "default", "{\"maxUsers\":11}");
    SOON.until(() -> servedRevision(a, credential) == next);
    assertThat(
            HttpTestSupport.envelope(
                    a.get("/v1/instances/acme-prod/config/core", credential).body())
                .content()
                .get("maxUsers")
                .asInt())
        .isEqualTo(11);
  }

  @Test
  void whenTheListeningConnectionIsKilled_theReplicaListensAgain_andCatchesUp()
      throws SQLException {
    startPair();
    a.createNamespace("core");
    String credential = a.createInstance("acme-prod", "live");
    SOON.until(() -> b.get("/v1/instances/acme-prod/config/core", credential).statusCode() == 200);

    String listeners =
        "FROM pg_stat_activity WHERE application_name = 'holdfast-listener' AND datname = '"
            + database
            + "'";
    SOON.until(
        () -> count("SELECT count(*) " + listeners) == 2); // one listening connection per replica
    int terminated =
        count(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS ended "
                + listeners
                + ") AS kills WHERE ended");
    assertThat(terminated).as("listening connections terminated").isEqualTo(2);
    long revision = a.publishLayer("core", "default", "{\"maxUsers\":12}");
    SOON.until(() -> servedRevision(b, credential) == revision);
    long next = a.publishLayer("core", "default", "{\"maxUsers\":13}");
    SOON.until(() -> servedRevision(b, credential) == next);
  }

  private static long servedRevision(ServerFixture replica, String credential) {
    HttpResponse<byte[]> response = replica.get("/v1/instances/acme-prod/config/core", credential);
    return response.statusCode() == 200 ? HttpTestSupport.envelope(response.body()).revision() : -1;
  }
}
