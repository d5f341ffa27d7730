package io.holdfast.cli.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.cli.soak.history.ApplicationError;
import io.holdfast.cli.soak.history.ClientStarted;
import io.holdfast.cli.soak.history.ContentStamp;
import io.holdfast.cli.soak.history.Decision;
import io.holdfast.cli.soak.history.DecisionOutcome;
import io.holdfast.cli.soak.history.HistoryRecorder;
import io.holdfast.cli.soak.history.Observed;
import io.holdfast.cli.soak.history.StatusChange;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.DocumentRejectedException;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatUsage;
import io.holdfast.client.seats.SeatsInUse;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One application node: an SDK client of one tenant, with its own disk cache and wall clock, and a
 * {@link SubscriptionChecker} over the tenant's seat table (shared with the tenant's other node,
 * each through a pool of its own, as two processes would). {@link #step()} is one turn of the
 * application: a read of a namespace, a login or a logout of a user of a fixed population, each
 * recorded with what the client held. The nemesis restarts it, keeping or wiping its cache.
 *
 * <p>Thread-safe: a step and a restart never overlap.
 */
final class AppNode implements AutoCloseable {

  private static final int USERS = 12;

  private final String name;
  private final Tenant tenant;
  private final List<URI> replicas;
  private final VerificationKey key;
  private final CacheDirectory cache;
  private final SteppableClock clock = new SteppableClock();
  private final HistoryRecorder history;
  private final OperationCounts counts;
  private final Random random;
  private final UserLocks userLocks;
  private final HikariDataSource seatDatabase;
  private final JdbcSeatStore seats;
  private final AtomicReference<Status> overall = new AtomicReference<>(Status.INITIALIZING);
  // Written under this, read by status listeners without it (a restart closes the client under
  // this lock and waits for its listener thread, which must not need the lock).
  private volatile HoldfastClient client;
  private SubscriptionChecker checker; // guarded by this

  AppNode(
      String name,
      Tenant tenant,
      List<URI> replicas,
      VerificationKey key,
      CacheDirectory cache,
      String seatDatabaseUrl,
      UserLocks userLocks,
      HistoryRecorder history,
      OperationCounts counts,
      Random random) {
    this.name = name;
    this.tenant = tenant;
    this.replicas = List.copyOf(replicas);
    this.key = key;
    this.cache = cache;
    this.userLocks = userLocks;
    this.history = history;
    this.counts = counts;
    this.random = random;
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(seatDatabaseUrl);
    pool.setMaximumPoolSize(2);
    pool.setPoolName("seats-" + name);
    this.seatDatabase = new HikariDataSource(pool);
    this.seats = JdbcSeatStore.builder(seatDatabase).table(tenant.seatTable()).build();
  }

  String name() {
    return name;
  }

  Tenant tenant() {
    return tenant;
  }

  CacheDirectory cache() {
    return cache;
  }

  SteppableClock clock() {
    return clock;
  }

  /** Seats of the soak's application in use in the tenant's table. */
  long seatsInUse() {
    return seats.count(Tenant.APPLICATION);
  }

  /** Builds and starts the client; {@code cacheKept}: on the disk cache of its previous run. */
  synchronized void start(boolean cacheKept) {
    overall.set(Status.INITIALIZING);
    history.record(t -> new ClientStarted(t, name, tenant.id(), cacheKept));
    HoldfastClient started =
        HoldfastClient.builder()
            .replicas(replicas)
            .instance(tenant.id(), tenant.credential())
            .trustedKey(key)
            .namespaces(Tenant.NAMESPACE, SubscriptionChecker.NAMESPACE)
            .cacheDirectory(cache.path())
            .validator(Tenant.NAMESPACE, AppNode::validate)
            .watchTimeout(Duration.ofSeconds(5))
            .pollInterval(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(3))
            .heartbeatInterval(Duration.ofSeconds(2))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            .startupTimeout(Duration.ofSeconds(10))
            .gracePeriod(Duration.ofMinutes(2))
            .staleAfter(Duration.ofSeconds(30))
            .failWhenUnavailable(false)
            .clock(clock)
            .random(new Random(random.nextLong()))
            .seatsInUse(new SeatsInUse(seats))
            .build();
    client = started;
    started.addStatusListener((namespace, previous, current) -> statusChanged(started));
    checker =
        SubscriptionChecker.builder()
            .subscriptions(() -> started.snapshot(SubscriptionChecker.NAMESPACE))
            .seatStore(seats)
            .clock(clock)
            .build();
    started.start();
    statusChanged(started);
  }

  /** Closes the client and starts another; {@code wipe} empties the cache first (cold start). */
  synchronized void restart(boolean wipe) throws java.io.IOException {
    client.close();
    if (wipe) {
      cache.wipe();
    }
    start(!wipe);
  }

  /** The worst status of the client's namespaces. */
  Status status() {
    return overall.get();
  }

  private void statusChanged(HoldfastClient source) {
    Status worst = worst(source);
    synchronized (overall) {
      if (source != client) {
        return;
      }
      Status before = overall.getAndSet(worst);
      if (before != worst) {
        history.record(t -> new StatusChange(t, name, tenant.id(), worst));
      }
    }
  }

  private static Status worst(HoldfastClient client) {
    Status worst = Status.FRESH;
    for (var freshness : client.statuses().values()) {
      if (rank(freshness.status()) > rank(worst)) {
        worst = freshness.status();
      }
    }
    return worst;
  }

  private static int rank(Status status) {
    return switch (status) {
      case FRESH -> 0;
      case STALE -> 1;
      case INITIALIZING -> 2;
      case EXPIRED -> 3;
    };
  }

  /** One turn of the application. */
  synchronized void step() {
    int pick = random.nextInt(20);
    String user = String.format(Locale.ROOT, "user-%02d", random.nextInt(USERS));
    try {
      if (pick < 9) {
        observe(Tenant.NAMESPACE);
      } else if (pick < 11) {
        observe(SubscriptionChecker.NAMESPACE);
      } else {
        synchronized (userLocks.of(user)) {
          if (pick < 16) {
            admit(user);
          } else {
            release(user);
          }
        }
      }
    } catch (RuntimeException e) {
      String operation = pick < 11 ? "snapshot" : pick < 16 ? "admit" : "release";
      counts.count("application-error");
      history.record(t -> ApplicationError.of(t, name, tenant.id(), operation, e));
    }
  }

  private void observe(String namespace) {
    ConfigSnapshot snapshot = client.snapshot(namespace);
    ContentStamp stamp = Tenant.NAMESPACE.equals(namespace) ? stamp(snapshot) : null;
    counts.count("read");
    history.record(
        t ->
            new Observed(
                t,
                name,
                tenant.id(),
                namespace,
                snapshot.revision(),
                snapshot.etag(),
                snapshot.status(),
                stamp));
  }

  private void admit(String user) {
    boolean holder = seats.holds(Tenant.APPLICATION, user);
    Admission admission = checker.admit(Tenant.APPLICATION, user);
    Long limit = null;
    boolean limitApplied =
        admission.outcome() == Admission.Outcome.DENIED_LIMIT_REACHED
            || (admission.admitted() && !holder);
    if (limitApplied) {
      // The limit the checker applied, read from the same revision it decided under.
      SeatUsage usage = checker.usage(Tenant.APPLICATION);
      if (client.snapshot(SubscriptionChecker.NAMESPACE).revision() == admission.revision()
          && usage.known()) {
        limit = usage.quantity() + usage.overage();
      }
    }
    counts.count("admit");
    decided(
        user,
        Decision.Operation.ADMIT,
        holder,
        DecisionOutcome.of(admission.outcome()),
        admission.reason(),
        limit,
        admission.revision());
  }

  private void release(String user) {
    boolean holder = seats.holds(Tenant.APPLICATION, user);
    boolean released = checker.release(Tenant.APPLICATION, user);
    counts.count("release");
    decided(
        user,
        Decision.Operation.RELEASE,
        holder,
        DecisionOutcome.ofRelease(released),
        released ? "released" : "held no seat",
        null,
        0);
  }

  /** Records a decision with the seats in use just after it. */
  private void decided(
      String user,
      Decision.Operation operation,
      boolean holder,
      DecisionOutcome outcome,
      String reason,
      Long limit,
      long revision) {
    long after = seats.count(Tenant.APPLICATION);
    history.record(
        t ->
            new Decision(
                t,
                name,
                tenant.id(),
                Tenant.APPLICATION,
                user,
                operation,
                holder,
                outcome,
                reason,
                after,
                limit,
                revision));
  }

  /** The self-check members the client holds, or {@code null} if it holds none. */
  private static ContentStamp stamp(ConfigSnapshot snapshot) {
    if (!snapshot.has("owner") && !snapshot.has("seq") && !snapshot.has("check")) {
      return null;
    }
    return new ContentStamp(
        snapshot.getString("owner", ""),
        snapshot.getLong("seq", -1),
        snapshot.getString("check", ""));
  }

  /** The application's own validator: a layer whose check does not match is refused. */
  private static void validate(com.fasterxml.jackson.databind.JsonNode content)
      throws DocumentRejectedException {
    if (!content.has("owner")) {
      return;
    }
    if (!Tenant.stamp(content).consistent()) {
      throw new DocumentRejectedException("owner, seq and check do not match");
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    seatDatabase.close();
  }
}
