package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.ConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FAULTS D14 for the database's password: a replica started on the real PostgreSQL with a password
 * in its JDBC URL (trust authentication ignores it) never writes it to a log, at any level, from
 * start to stop, although the URL itself is logged (redacted); and a write the database refuses
 * with a constraint violation answers with Holdfast's words, not the driver's.
 */
class JdbcUrlSecretTest {

  private static final String PASSWORD = "hunter2-jdbc-password";
  private final String database =
      "holdfast_secret_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  @TempDir Path dataDir;

  @BeforeEach
  void createDatabase() throws SQLException {
    admin("CREATE DATABASE " + database);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void D14_aPasswordInTheJdbcUrl_neverReachesTheLogs_orTheClient() throws Exception {
    String url =
        "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres&password=" + PASSWORD;
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level rootLevel = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(
        Level.DEBUG); // the pool, the driver and the migrations log their settings at DEBUG
    AtomicReference<ConfigStore> store = new AtomicReference<>();
    ServerConfig config = ServerConfig.builder(dataDir).port(0).jdbcUrl(url).build();
    String shown;
    Throwable refused;
    try (HoldfastServer server =
        HoldfastServer.start(
            config,
            Clock.systemUTC(),
            s -> {
              store.set(s);
              return s;
            })) {
      store.get().createNamespace("core", "", "alice");
      store.get().createInstance("first", "live", Map.of(), "same-credential-hash", "alice");
      // The second instance breaks the database's unique constraint on credential hashes.
      refused =
          catchThrowable(
              () ->
                  store
                      .get()
                      .createInstance("second", "live", Map.of(), "same-credential-hash", "alice"));
      shown = server.config().toString();
    } finally {
      root.setLevel(rootLevel);
      root.detachAppender(logs);
    }
    List<String> seen = new ArrayList<>();
    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    String everything = String.join("\n", seen);

    assertThat(everything)
        .as("the URL is logged, redacted")
        .contains(database + "?user=postgres&password=***");
    assertThat(everything).doesNotContain(PASSWORD);
    assertThat(shown).contains("password=***").doesNotContain(PASSWORD);
    // The problem's detail is the exception's message: what the client reads in the 409.
    assertThat(refused)
        .isInstanceOfSatisfying(
            ProblemException.class,
            p -> {
              assertThat(p.type()).isEqualTo(ProblemType.ALREADY_EXISTS);
              assertThat(p.getMessage())
                  .isEqualTo("a concurrent write created the same item; read it again")
                  .doesNotContainIgnoringCase("constraint")
                  .doesNotContainIgnoringCase("duplicate")
                  .doesNotContain("ERROR:");
            });
  }
}
