package io.holdfast.client.seats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC store on a real PostgreSQL at 127.0.0.1:5432 (user {@code postgres}, trust auth), in a
 * database created for this run and dropped after it. An unreachable server fails these tests; it
 * never skips them.
 */
class PostgresSeatStoreTest extends SeatStoreContract {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static String database;
  private static PGSimpleDataSource dataSource;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database =
        "holdfast_seats_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (Connection admin = source("postgres").getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    dataSource = source(database);
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      try (Connection admin = source("postgres").getConnection();
          Statement statement = admin.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  private static PGSimpleDataSource source(String name) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"127.0.0.1"});
    source.setPortNumbers(new int[] {5432});
    source.setDatabaseName(name);
    source.setUser("postgres");
    source.setConnectTimeout(5);
    return source;
  }

  @Override
  SeatStore newStore() {
    return JdbcSeatStore.builder(dataSource)
        .table("seats_" + TABLES.incrementAndGet())
        .lockTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Test
  void buildingTwiceOnOneTable_keepsTheSeats() {
    store.tryAssign("crm", "ann", 1);
    SeatStore reopened = JdbcSeatStore.builder(dataSource).table("seats_" + TABLES.get()).build();
    assertThat(reopened.holds("crm", "ann")).isTrue();
  }

  @Test
  void aDataSourceWithoutAutoCommit_stillCommitsEveryWrite() {
    assertDurableWithoutAutoCommit(
        JdbcSeatStore.builder(new WithoutAutoCommit(dataSource))
            .table("seats_" + TABLES.get())
            .build(),
        store);
  }

  /**
   * Why the store locks: two READ COMMITTED transactions each run the conditional insert for the
   * last seat, neither sees the other's uncommitted row, and both commit.
   */
  @Test
  void aBareConditionalInsert_overshootsUnderReadCommitted_whichIsWhyTheStoreLocks()
      throws SQLException {
    String table = "seats_" + TABLES.get();
    String insert =
        "INSERT INTO "
            + table
            + " (application, user_id, assigned_at) SELECT 'crm', '%s', 0"
            + " WHERE (SELECT COUNT(*) FROM "
            + table
            + " WHERE application = 'crm') < 1";
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection();
        Statement one = first.createStatement();
        Statement two = second.createStatement()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      assertThat(one.executeUpdate(String.format(insert, "ann"))).isEqualTo(1);
      assertThat(two.executeUpdate(String.format(insert, "bob"))).isEqualTo(1);
      first.commit();
      second.commit();
    }
    assertThat(store.count("crm")).isEqualTo(2);
  }

  @Test
  void anAssignmentWaitsForTheApplicationsLock_ratherThanCountingAroundIt() throws SQLException {
    String table = "seats_" + TABLES.get();
    SeatStore impatient =
        JdbcSeatStore.builder(dataSource).table(table).lockTimeout(Duration.ofMillis(200)).build();
    try (Connection holder = dataSource.getConnection();
        Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      // Another assigner, mid-transaction: it holds crm's lock row and has inserted, not committed.
      statement.execute(
          "INSERT INTO "
              + table
              + "_applications (application) VALUES ('crm') ON CONFLICT DO NOTHING");
      statement.execute(
          "SELECT application FROM "
              + table
              + "_applications WHERE application = 'crm' FOR UPDATE");
      statement.execute(
          "INSERT INTO " + table + " (application, user_id, assigned_at) VALUES ('crm', 'ann', 0)");
      assertThatThrownBy(() -> impatient.tryAssign("crm", "bob", 1))
          .isInstanceOf(SeatStoreException.class)
          .hasMessageContaining("bob");
      assertThat(impatient.tryAssign("erp", "bob", 1)).isEqualTo(Assignment.ASSIGNED);
      holder.commit();
    }
    assertThat(impatient.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(store.count("crm")).isEqualTo(1);
  }

  @Test
  void concurrentLoginsAcrossApplications_eachStopAtTheirOwnLimit() throws Exception {
    var outcomes = race(150, i -> store.tryAssign("app-" + i % 3, "user-" + i, 10 + i % 3));
    assertThat(outcomes).filteredOn(a -> a == Assignment.ASSIGNED).hasSize(10 + 11 + 12);
    assertThat(store.counts())
        .containsEntry("app-0", 10L)
        .containsEntry("app-1", 11L)
        .containsEntry("app-2", 12L);
  }
}
