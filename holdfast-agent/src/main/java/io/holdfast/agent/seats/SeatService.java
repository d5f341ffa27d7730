package io.holdfast.agent.seats;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.agent.config.AgentSettings.SeatSettings;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatsInUse;
import io.holdfast.client.seats.SubscriptionChecker;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's seats: a {@link JdbcSeatStore} on the tenant's database (SQLite for one host,
 * PostgreSQL for several) through a small connection pool, and the SDK's {@link
 * SubscriptionChecker} over it and the agent's {@code subscriptions} namespace. Decisions are the
 * SDK's own, so an application reading seats through the agent gets exactly what an embedded SDK
 * would.
 */
public final class SeatService implements AutoCloseable {

  /** SQLite has one writer; a few connections serve concurrent holders' reads. */
  static final int SQLITE_POOL = 4;

  static final int POSTGRES_POOL = 8;

  private final HikariDataSource dataSource;
  private final JdbcSeatStore store;
  private final SubscriptionChecker checker;
  private final SeatsInUse seatsInUse;

  private SeatService(
      HikariDataSource dataSource, JdbcSeatStore store, SubscriptionChecker checker) {
    this.dataSource = dataSource;
    this.store = store;
    this.checker = checker;
    this.seatsInUse = new SeatsInUse(store);
  }

  /**
   * Opens the pool and creates the seat tables if absent.
   *
   * @throws io.holdfast.client.seats.SeatStoreException if the database cannot be reached
   */
  public static SeatService open(SeatSettings settings, HoldfastConfig config) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(settings.jdbcUrl());
    if (settings.username() != null) {
      pool.setUsername(settings.username());
    }
    if (settings.password() != null) {
      pool.setPassword(settings.password());
    }
    boolean sqlite = settings.jdbcUrl().startsWith("jdbc:sqlite:");
    pool.setMaximumPoolSize(sqlite ? SQLITE_POOL : POSTGRES_POOL);
    pool.setMinimumIdle(1);
    pool.setPoolName("holdfast-agent-seats");
    pool.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    // Start even when the database is down: seat requests then answer 503 until it is back.
    pool.setInitializationFailTimeout(-1);
    HikariDataSource dataSource = new HikariDataSource(pool);
    try {
      JdbcSeatStore store =
          JdbcSeatStore.builder(dataSource)
              .table(settings.table())
              .lockTimeout(Duration.ofSeconds(5))
              .build();
      SubscriptionChecker checker =
          SubscriptionChecker.builder()
              .client(config)
              .seatStore(store)
              .expiredPolicy(settings.expiredPolicy())
              .build();
      return new SeatService(dataSource, store, checker);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  public SubscriptionChecker checker() {
    return checker;
  }

  public JdbcSeatStore store() {
    return store;
  }

  /** Seats in use per application, never throwing: what heartbeats report. */
  public Map<String, Long> seatsInUse() {
    return seatsInUse.get();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
