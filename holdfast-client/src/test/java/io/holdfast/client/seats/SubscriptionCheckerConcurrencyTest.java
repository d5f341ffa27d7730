package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.active;
import static io.holdfast.client.seats.SubscriptionSnapshots.document;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Concurrent logins through the checker: distinct users racing for quantity + overage seats get
 * exactly that many admissions, and every other one is "limit reached", never an error.
 */
class SubscriptionCheckerConcurrencyTest {

  @TempDir Path directory;

  private static List<Outcome> race(SeatStore store) throws Exception {
    SubscriptionSnapshots source = new SubscriptionSnapshots();
    source.serve(
        SubscriptionSnapshots.snapshot(Status.FRESH, 1, document("crm", active("s-1", 10, 2))));
    SubscriptionChecker checker =
        SubscriptionChecker.builder().subscriptions(source).seatStore(store).build();
    return SeatStoreContract.race(120, i -> checker.admit("crm", "user-" + i % 100).outcome());
  }

  private static void assertExactlyTheLimit(List<Outcome> outcomes, SeatStore store) {
    assertThat(store.count("crm")).isEqualTo(12);
    assertThat(outcomes).containsOnly(Outcome.ADMITTED, Outcome.DENIED_LIMIT_REACHED);
    // Users 0-19 log in twice: the second login is admitted exactly when they won a seat.
    long twiceAndHolding =
        IntStream.range(0, 20).filter(i -> store.holds("crm", "user-" + i)).count();
    assertThat(outcomes.stream().filter(o -> o == Outcome.ADMITTED).count())
        .isEqualTo(12 + twiceAndHolding);
  }

  @Test
  void inMemory_admitsExactlyQuantityPlusOverage() throws Exception {
    InMemorySeatStore store = new InMemorySeatStore();
    assertExactlyTheLimit(race(store), store);
  }

  @Test
  void onSqlite_admitsExactlyQuantityPlusOverage() throws Exception {
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + directory.resolve("seats.db"));
    SeatStore store = JdbcSeatStore.builder(dataSource).lockTimeout(Duration.ofSeconds(30)).build();
    assertExactlyTheLimit(race(store), store);
  }
}
