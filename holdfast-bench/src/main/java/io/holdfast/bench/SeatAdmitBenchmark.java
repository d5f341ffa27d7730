package io.holdfast.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.Assignment;
import io.holdfast.client.seats.InMemorySeatStore;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a login by someone who already holds a seat: {@code checker.admit(app, user)} through
 * a real client holding a verified {@code subscriptions} document, with the in-memory store
 * (target, issue 4: at most 200 ns) and with the JDBC store on a SQLite file behind a HikariCP
 * pool, in the default and the WAL journal mode (reported). Also the assignment of a new seat and
 * its release on SQLite, and the client's snapshot read every admission makes, as a reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SeatAdmitBenchmark {

  private static final String APPLICATION = "crm";

  private ClientFixture fixture;
  private HoldfastClient client;
  private SubscriptionChecker inMemory;

  /** The tenant's SQLite file behind a pool, in SQLite's default journal mode and in WAL. */
  @State(Scope.Benchmark)
  public static class Sqlite {

    @Param({"DELETE", "WAL"})
    public String journalMode;

    private HikariDataSource pool;
    private Path database;
    private SubscriptionChecker checker;
    private SeatStore store;

    @Setup(Level.Trial)
    public void setUp(SeatAdmitBenchmark benchmark) throws Exception {
      database = Files.createTempDirectory("holdfast-seat-bench").resolve("seats.db");
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:sqlite:" + database + "?journal_mode=" + journalMode);
      config.setMaximumPoolSize(2);
      pool = new HikariDataSource(config);
      store = JdbcSeatStore.builder(pool).build();
      checker = SubscriptionChecker.builder().client(benchmark.client).seatStore(store).build();
      requireAdmitted(checker.admit(APPLICATION, "holder"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      pool.close();
      try (var files = Files.list(database.getParent())) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(database.getParent());
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = ClientFixture.start();
    fixture.admin(
        "POST",
        "/v1/admin/applications",
        "{\"name\":\"" + APPLICATION + "\",\"displayName\":\"CRM\"}");
    fixture.admin(
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\""
            + ClientFixture.INSTANCE
            + "\",\"application\":\""
            + APPLICATION
            + "\",\"quantity\":25,\"validFrom\":\"2020-01-01T00:00:00Z\",\"validUntil\":null,"
            + "\"plan\":\"enterprise\"}");
    client = fixture.builder(fixture.replica()).namespaces(SubscriptionChecker.NAMESPACE).build();
    client.start();
    if (client.snapshot(SubscriptionChecker.NAMESPACE).status() != Status.FRESH) {
      throw new IllegalStateException("the client has no verified subscriptions document");
    }

    InMemorySeatStore memory = new InMemorySeatStore();
    inMemory = SubscriptionChecker.builder().client(client).seatStore(memory).build();
    requireAdmitted(inMemory.admit(APPLICATION, "holder"));
  }

  private static void requireAdmitted(Admission admission) {
    if (!admission.admitted()) {
      throw new IllegalStateException("not admitted: " + admission);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    fixture.close();
  }

  @Benchmark
  public Admission admitHolderInMemory() {
    return inMemory.admit(APPLICATION, "holder");
  }

  @Benchmark
  public Admission admitHolderSqlite(Sqlite sqlite) {
    return sqlite.checker.admit(APPLICATION, "holder");
  }

  /** A new seat assigned (one locked transaction) and released again, on SQLite. */
  @Benchmark
  public boolean assignAndReleaseSqlite(Sqlite sqlite) {
    Assignment assignment = sqlite.store.tryAssign(APPLICATION, "newcomer", 25);
    if (assignment != Assignment.ASSIGNED) {
      throw new IllegalStateException("not assigned: " + assignment);
    }
    return sqlite.store.release(APPLICATION, "newcomer");
  }

  /** Reference: the snapshot read each admission makes. */
  @Benchmark
  public ConfigSnapshot referenceSnapshot() {
    return client.snapshot(SubscriptionChecker.NAMESPACE);
  }
}
