package io.holdfast.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.DocumentRejectedException;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.InMemorySeatStore;
import io.holdfast.client.seats.SeatsInUse;
import io.holdfast.client.seats.SubscriptionChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated instance: a real {@link HoldfastClient} with its own disk cache, the application's
 * {@code core} validator, and a {@link SubscriptionChecker} over its own in-memory seat store. Its
 * application loop is {@link #step}, called on the fleet's traffic thread only.
 */
final class SimulatedMember {

  static final List<String> NAMESPACES = List.of("core", "features", "subscriptions");

  /**
   * How often a member reports: every second, so a health gate hears of a release, and the console
   * of a fault, within about a second.
   */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private final FleetMember member;
  private final HoldfastClient client;
  private final InMemorySeatStore store;
  private final SubscriptionChecker checker;

  /** How many distinct users log in to each application: seats fill to about two thirds of it. */
  private final int users;

  private SimulatedMember(
      FleetMember member, HoldfastClient client, InMemorySeatStore store, int users) {
    this.member = member;
    this.client = client;
    this.store = store;
    this.users = users;
    this.checker = SubscriptionChecker.builder().client(client).seatStore(store).build();
  }

  /** Builds the member's client (not started yet). */
  static SimulatedMember create(FleetPlan plan, FleetMember member, Random random) {
    // The heartbeat reports the store the checker assigns seats in: it exists before both.
    InMemorySeatStore store = new InMemorySeatStore();
    HoldfastClient.Builder builder =
        HoldfastClient.builder()
            .replicas(plan.replicas())
            .instance(member.instance(), member.credential())
            .trustedKey(plan.trustedKey())
            .namespaces(NAMESPACES.toArray(String[]::new))
            .validator("core", SimulatedMember::validateCore)
            .cacheDirectory(plan.cacheRoot().resolve(member.instance()))
            .heartbeatInterval(HEARTBEAT_INTERVAL)
            .connectTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(1))
            .watchTimeout(Duration.ofSeconds(10))
            .pollInterval(Duration.ofSeconds(5))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            // The fleet starts at once and members come up on their own: a replica that is down
            // at the start (a game day may begin that way) leaves a member INITIALIZING, not the
            // whole fleet failed.
            .startupTimeout(Duration.ZERO)
            .failWhenUnavailable(false)
            .random(new Random(random.nextLong()))
            .seatsInUse(new SeatsInUse(store));
    if (plan.sslContext() != null) {
      builder.sslContext(plan.sslContext());
    }
    return new SimulatedMember(member, builder.build(), store, 10 + random.nextInt(31));
  }

  /**
   * The application's rule for {@code core}: {@code maxUploadMb}, when present, must be a whole
   * number. A document breaking it is rejected: the member keeps its last-known-good copy and
   * reports {@code core} STALE, which a ring's health gate reads as a failing instance.
   */
  static void validateCore(JsonNode content) throws DocumentRejectedException {
    JsonNode value = content.get("maxUploadMb");
    if (value != null && !(value.isNumber() && value.canConvertToExactIntegral())) {
      throw new DocumentRejectedException("maxUploadMb must be a whole number, was " + value);
    }
  }

  FleetMember member() {
    return member;
  }

  void start() {
    client.start();
  }

  /** The worst status of the member's namespaces. */
  Status status() {
    Status worst = Status.FRESH;
    for (Freshness freshness : client.statuses().values()) {
      if (rank(freshness.status()) > rank(worst)) {
        worst = freshness.status();
      }
    }
    return worst;
  }

  /** FRESH best; a namespace with no document yet is better than one that failed to refresh. */
  private static int rank(Status status) {
    return switch (status) {
      case FRESH -> 0;
      case INITIALIZING -> 1;
      case STALE -> 2;
      case EXPIRED -> 3;
    };
  }

  /**
   * One turn of the application: it reads its settings, then one simulated user of one subscribed
   * application logs in or, holding a seat, logs out or in again.
   */
  void step(Random random, SeatTraffic traffic) {
    client.snapshot("core").content().path("maxUploadMb");
    List<String> applications = new ArrayList<>();
    client
        .snapshot(SubscriptionChecker.NAMESPACE)
        .content()
        .path("applications")
        .fieldNames()
        .forEachRemaining(applications::add);
    // Drawn whether or not anything is subscribed, so a member's choices follow the seed alone.
    int application = random.nextInt(Math.max(1, applications.size()));
    String user = "user-" + random.nextInt(users);
    boolean logout = random.nextBoolean();
    if (applications.isEmpty()) {
      return;
    }
    String app = applications.get(application);
    boolean holder = store.holds(app, user);
    if (holder && logout) {
      checker.release(app, user);
      return;
    }
    Admission admission = checker.admit(app, user);
    traffic.record(admission, holder);
  }

  HoldfastClient client() {
    return client;
  }

  void close() {
    client.close();
  }
}
