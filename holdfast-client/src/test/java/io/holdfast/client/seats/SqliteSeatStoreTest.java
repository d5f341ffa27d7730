package io.holdfast.client.seats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The JDBC store on a real SQLite file. Every {@code getConnection} of {@link SQLiteDataSource}
 * opens a new connection, so concurrent logins contend for the file's write lock as separate
 * processes would.
 */
class SqliteSeatStoreTest extends SeatStoreContract {

  @TempDir Path directory;

  SQLiteDataSource dataSource;

  @Override
  SeatStore newStore() {
    dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + directory.resolve("seats.db"));
    return JdbcSeatStore.builder(dataSource).lockTimeout(Duration.ofSeconds(30)).build();
  }

  @Test
  void seatsSurviveTheStore_inTheTenantsDatabase() {
    store.tryAssign("crm", "ann", 1);
    SeatStore reopened = JdbcSeatStore.builder(dataSource).build();
    assertThat(reopened.holds("crm", "ann")).isTrue();
    assertThat(reopened.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.LIMIT_REACHED);
  }

  @Test
  void twoStoresOnOneFile_shareTheLimit() throws Exception {
    SeatStore other = JdbcSeatStore.builder(dataSource).lockTimeout(Duration.ofSeconds(30)).build();
    var outcomes = race(60, i -> (i % 2 == 0 ? store : other).tryAssign("crm", "user-" + i, 7));
    assertThat(outcomes).filteredOn(a -> a == Assignment.ASSIGNED).hasSize(7);
    assertThat(store.count("crm")).isEqualTo(7);
  }

  @Test
  void aWriteLockHeldLongerThanTheTimeout_failsTheAssignment_assigningNothing() throws Exception {
    SeatStore impatient =
        JdbcSeatStore.builder(dataSource).lockTimeout(Duration.ofMillis(50)).build();
    try (Connection blocker = dataSource.getConnection();
        Statement statement = blocker.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      assertThatThrownBy(() -> impatient.tryAssign("crm", "ann", 1))
          .isInstanceOf(SeatStoreException.class)
          .hasMessageContaining("ann");
      statement.execute("ROLLBACK");
    }
    assertThat(store.count("crm")).isZero();
    assertThat(impatient.tryAssign("crm", "ann", 1)).isEqualTo(Assignment.ASSIGNED);
  }

  @Test
  void aDataSourceWithoutAutoCommit_stillCommitsEveryWrite() {
    assertDurableWithoutAutoCommit(
        JdbcSeatStore.builder(new WithoutAutoCommit(dataSource)).build(), store);
  }

  @Test
  void aBadTableName_isRefusedWithTheName() {
    assertThatThrownBy(() -> JdbcSeatStore.builder(dataSource).table("seats; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seats; DROP TABLE x");
  }
}
