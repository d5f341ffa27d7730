package io.holdfast.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.seats.Admission.Outcome;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.spring.boot.demo.DemoApplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application with a {@code DataSource} (Spring Boot's, from {@code spring.datasource.url}, on a
 * real SQLite file) and the {@code subscriptions} namespace, but no seat store of its own: the
 * starter keeps seats in that database.
 */
class JdbcSeatStoreBeanTest {

  private static final String APPLICATION = "crm";

  @TempDir Path dir;

  @Test
  void aDataSource_makesAJdbcSeatStoreAndASubscriptionChecker_seatsLandInThatDatabase()
      throws Exception {
    Path database = dir.resolve("app.db");
    try (TwoReplicas replicas = new TwoReplicas(dir.resolve("store"))) {
      String credential = StarterApp.serve(replicas);
      replicas.subscribe(StarterApp.INSTANCE, APPLICATION, 2);
      String[] args =
          StarterApp.with(
              StarterApp.with(
                  StarterApp.args(
                      replicas.replicas(),
                      replicas.trustedKey(),
                      credential,
                      dir.resolve("cache"),
                      "--spring.datasource.url=jdbc:sqlite:" + database,
                      // The replicas' Flyway is on the test class path, in a version Boot 3.5's
                      // Flyway auto-configuration does not call correctly; the application has no
                      // migrations anyway.
                      "--spring.flyway.enabled=false"),
                  "holdfast.namespaces",
                  "core,features,subscriptions"),
              // Spring Boot's own DataSource (a Hikari pool) this time.
              "spring.autoconfigure.exclude",
              "");

      try (ConfigurableApplicationContext app = StarterApp.start(DemoApplication.class, args)) {
        assertThat(app.getBeansOfType(DataSource.class)).hasSize(1);
        assertThat(app.getBean(SeatStore.class)).isInstanceOf(JdbcSeatStore.class);
        SubscriptionChecker checker = app.getBean(SubscriptionChecker.class);
        assertThat(checker.admit(APPLICATION, "ann").outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(checker.admit(APPLICATION, "bob").outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(checker.admit(APPLICATION, "cid").outcome())
            .isEqualTo(Outcome.DENIED_LIMIT_REACHED);
      }
      assertThat(seats(database)).containsExactly("crm/ann", "crm/bob");

      // The seats outlive the application: after a restart, the holders keep theirs.
      try (ConfigurableApplicationContext app = StarterApp.start(DemoApplication.class, args)) {
        SubscriptionChecker checker = app.getBean(SubscriptionChecker.class);
        assertThat(checker.admit(APPLICATION, "cid").outcome())
            .isEqualTo(Outcome.DENIED_LIMIT_REACHED);
        assertThat(checker.admit(APPLICATION, "bob").outcome()).isEqualTo(Outcome.ADMITTED);
      }
    }
  }

  /** The seat table's rows, read straight from the SQLite file. */
  private static List<String> seats(Path database) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT application, user_id FROM holdfast_seats ORDER BY user_id")) {
      while (result.next()) {
        rows.add(result.getString(1) + "/" + result.getString(2));
      }
    }
    return rows;
  }
}
