package io.holdfast.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.it.ReplicaPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seats under concurrency through an agent process: many users racing for the seats of one
 * subscription get exactly quantity plus overage admissions, on SQLite and on PostgreSQL (a fresh
 * database per run), and the store holds exactly those seats.
 */
@Timeout(180)
class AgentSeatConcurrencyTest {

  private static final String APPLICATION = "crm";
  private static final int QUANTITY = 5;
  private static final int OVERAGE = 2;
  private static final int USERS = 40;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  @TempDir static Path shared;
  @TempDir Path dir;

  private static ReplicaPair pair;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void replicas() {
    pair = ReplicaPair.start(shared.resolve("replicas"));
    pair.createNamespace("core");
    pair.publish("core", "default", "{}");
    pair.createApplication(APPLICATION);
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  private Map<String, String> settings() {
    return AgentProcess.subscribedSettings(
        pair, dir, "agent-seats-" + INSTANCES.incrementAndGet(), APPLICATION, QUANTITY, OVERAGE);
  }

  @Test
  void racingUsers_onSqlite_getExactlyQuantityPlusOverage() throws Exception {
    Map<String, String> settings = settings();
    String url = "jdbc:sqlite:" + dir.resolve("race.db");
    settings.put("holdfast.agent.seats.jdbc-url", url);
    race(settings, url);
  }

  @Test
  void racingUsers_onPostgres_getExactlyQuantityPlusOverage() throws Exception {
    String database =
        "holdfast_agent_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    postgres("CREATE DATABASE " + database);
    try {
      Map<String, String> settings = settings();
      String url = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
      settings.put("holdfast.agent.seats.jdbc-url", url);
      race(settings, url);
    } finally {
      postgres("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private void race(Map<String, String> settings, String url) throws Exception {
    try (AgentProcess agent = AgentProcess.start(dir, settings)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> agent.statusOfEveryNamespace("FRESH"));
      // The store opens after the listeners: wait for it to answer (a release changes nothing).
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> seat(agent, "release", "nobody").statusCode() == 200);

      CountDownLatch gate = new CountDownLatch(1);
      List<Future<String>> outcomes = new ArrayList<>();
      try (ExecutorService racers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < USERS; i++) {
          String user = "user-" + i;
          outcomes.add(
              racers.submit(
                  () -> {
                    gate.await();
                    HttpResponse<String> response = seat(agent, "admit", user);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    return response.headers().firstValue("Holdfast-Seat-Outcome").orElseThrow();
                  }));
        }
        gate.countDown();
      }
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn("ADMITTED"::equals).hasSize(QUANTITY + OVERAGE);
      assertThat(results)
          .filteredOn("DENIED_LIMIT_REACHED"::equals)
          .hasSize(USERS - QUANTITY - OVERAGE);
      assertThat(seatsInStore(url)).isEqualTo(QUANTITY + OVERAGE);
    }
  }

  private HttpResponse<String> seat(AgentProcess agent, String action, String user)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(agent.base() + "/v1/seats/" + APPLICATION + "/" + action))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + AgentProcess.TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long seatsInStore(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*) FROM holdfast_seats WHERE application = '" + APPLICATION + "'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void postgres(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
