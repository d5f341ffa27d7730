package io.holdfast.client.seats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SeatStore} must do, run against each implementation (in memory, SQLite,
 * PostgreSQL). The concurrent tests race real threads, each on its own connection for the JDBC
 * stores, released together by a latch: no sleeps.
 */
abstract class SeatStoreContract {

  static final int THREADS = 16;

  SeatStore store;

  /** A store with no seats assigned, isolated from every other test's. */
  abstract SeatStore newStore() throws Exception;

  @BeforeEach
  void freshStore() throws Exception {
    store = newStore();
  }

  @Test
  void assignsUpToTheLimit_thenRefuses() {
    assertThat(store.tryAssign("crm", "ann", 2)).isEqualTo(Assignment.ASSIGNED);
    assertThat(store.tryAssign("crm", "bob", 2)).isEqualTo(Assignment.ASSIGNED);
    assertThat(store.tryAssign("crm", "cid", 2)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(store.count("crm")).isEqualTo(2);
    assertThat(store.holds("crm", "cid")).isFalse();
  }

  @Test
  void aHolderAssignedAgain_isAlreadyHeld_evenAtOrOverTheLimit() {
    store.tryAssign("crm", "ann", 1);
    assertThat(store.tryAssign("crm", "ann", 1)).isEqualTo(Assignment.ALREADY_HELD);
    assertThat(store.tryAssign("crm", "ann", 0)).isEqualTo(Assignment.ALREADY_HELD);
    assertThat(store.count("crm")).isEqualTo(1);
  }

  @Test
  void aLimitOfZero_assignsNothing() {
    assertThat(store.tryAssign("crm", "ann", 0)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(store.counts()).isEmpty();
  }

  @Test
  void aLimitLowerThanTheSeatsHeld_keepsThemAll_andAssignsNoMore() {
    store.tryAssign("crm", "ann", 3);
    store.tryAssign("crm", "bob", 3);
    store.tryAssign("crm", "cid", 3);
    assertThat(store.tryAssign("crm", "dee", 1)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(store.count("crm")).isEqualTo(3);
    assertThat(store.holds("crm", "ann")).isTrue();
  }

  @Test
  void releasing_freesTheSeat_once() {
    store.tryAssign("crm", "ann", 1);
    assertThat(store.release("crm", "ann")).isTrue();
    assertThat(store.release("crm", "ann")).isFalse();
    assertThat(store.holds("crm", "ann")).isFalse();
    assertThat(store.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.ASSIGNED);
  }

  @Test
  void releasingWhatWasNeverHeld_isFalse() {
    assertThat(store.release("crm", "nobody")).isFalse();
  }

  @Test
  void applicationsAreCountedApart() {
    store.tryAssign("crm", "ann", 1);
    store.tryAssign("erp", "ann", 5);
    store.tryAssign("erp", "bob", 5);
    assertThat(store.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(store.counts()).isEqualTo(Map.of("crm", 1L, "erp", 2L));
    assertThat(store.count("hr")).isZero();
  }

  @Test
  void aNegativeLimit_isRefusedWithTheValue() {
    assertThatThrownBy(() -> store.tryAssign("crm", "ann", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void concurrentLoginsOfDistinctUsers_assignExactlyTheLimit() throws Exception {
    int limit = 37;
    List<Assignment> outcomes = race(200, i -> store.tryAssign("crm", "user-" + i, limit));
    assertThat(outcomes).filteredOn(a -> a == Assignment.ASSIGNED).hasSize(limit);
    assertThat(outcomes).filteredOn(a -> a == Assignment.LIMIT_REACHED).hasSize(200 - limit);
    assertThat(store.count("crm")).isEqualTo(limit);
  }

  @Test
  void concurrentLoginsOfOneUser_assignOneSeat() throws Exception {
    List<Assignment> outcomes = race(50, i -> store.tryAssign("crm", "ann", 10));
    assertThat(outcomes).filteredOn(a -> a == Assignment.ASSIGNED).hasSize(1);
    assertThat(outcomes).filteredOn(a -> a == Assignment.ALREADY_HELD).hasSize(49);
    assertThat(store.count("crm")).isEqualTo(1);
  }

  @Test
  void concurrentLoginsAndLogouts_neverExceedTheLimit() throws Exception {
    int limit = 5;
    for (int i = 0; i < limit; i++) {
      store.tryAssign("crm", "early-" + i, limit);
    }
    // Half the threads release the early holders while the others log new users in: every
    // new seat must come from a released one.
    List<Object> outcomes =
        race(
            2 * limit + 40,
            i ->
                i < limit
                    ? store.release("crm", "early-" + i)
                    : store.tryAssign("crm", "late-" + i, limit));
    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(limit);
    long assigned = outcomes.stream().filter(o -> o == Assignment.ASSIGNED).count();
    assertThat(assigned).isLessThanOrEqualTo(limit);
    assertThat(store.count("crm")).isEqualTo(assigned).isLessThanOrEqualTo(limit);
  }

  /**
   * Every write through {@code manual}, a store whose data source hands out connections without
   * auto-commit (as a pool may be configured), is seen by {@code observer}, and nothing is left
   * uncommitted to be rolled back when the connection is closed.
   */
  static void assertDurableWithoutAutoCommit(SeatStore manual, SeatStore observer) {
    assertThat(manual.tryAssign("crm", "ann", 1)).isEqualTo(Assignment.ASSIGNED);
    assertThat(observer.holds("crm", "ann")).isTrue();
    assertThat(manual.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.LIMIT_REACHED);
    assertThat(manual.counts()).isEqualTo(Map.of("crm", 1L));
    assertThat(manual.release("crm", "ann")).isTrue();
    assertThat(observer.count("crm")).isZero();
    assertThat(manual.tryAssign("crm", "bob", 1)).isEqualTo(Assignment.ASSIGNED);
  }

  interface Login<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} logins on {@link #THREADS} threads, all released at once. */
  static <T> List<T> race(int count, Login<T> login) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        Callable<T> task =
            () -> {
              start.await();
              return login.run(index);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
