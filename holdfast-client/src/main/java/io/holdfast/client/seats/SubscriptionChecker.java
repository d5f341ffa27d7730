package io.holdfast.client.seats;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Admits users to applications with named seats assigned at login, against the instance's verified
 * {@code subscriptions} document and the tenant's own {@link SeatStore}.
 *
 * <p>Design: the checker holds no quantity of its own. Every decision reads the client's current
 * snapshot of the namespace, which only ever holds a verified document (a failed fetch, a 304, a
 * partial body, a bad signature or an older revision never replace it), so nothing the replicas do
 * can change the quantity in force except a newer verified document. What a login gets:
 *
 * <ol>
 *   <li>Someone who holds a seat is admitted from the store alone, whatever the namespace's status
 *       (INITIALIZING, STALE, EXPIRED), whatever a lower quantity, and after the contract's end.
 *       Only a suspension or cancellation in force in the held document turns them away ({@code
 *       DENIED_NOT_SUBSCRIBED}); their seat is kept for when it is lifted.
 *   <li>A new user, once the namespace is EXPIRED, gets {@code DENIED_UNVERIFIED} under {@link
 *       ExpiredSeatPolicy#DENY_NEW_SEATS} (the default).
 *   <li>No document yet, or an unreadable one for the application: {@code DENIED_UNVERIFIED}.
 *       Unknown is never zero and never "limit reached".
 *   <li>The application absent from the document, or no period covering now (by the injected clock,
 *       with the skew tolerance), or suspended or cancelled: {@code DENIED_NOT_SUBSCRIBED}.
 *       Contract dates are read from the held document under any status: they are separate from the
 *       fetch grace period.
 *   <li>Otherwise the store assigns a seat atomically if fewer than quantity plus overage are held
 *       ({@code ADMITTED}), else {@code DENIED_LIMIT_REACHED} (FRESH or STALE) or {@code
 *       DENIED_UNVERIFIED} (EXPIRED, where the quantity may have grown unseen).
 * </ol>
 *
 * <p>Thread-safe. The parsed document is cached per snapshot, so admitting a holder costs a
 * snapshot read and a store lookup. A store that fails throws {@link SeatStoreException} from
 * {@link #admit} and {@link #release}.
 */
public final class SubscriptionChecker {

  /** The reserved namespace subscriptions are delivered in. */
  public static final String NAMESPACE = "subscriptions";

  private static final System.Logger LOG = System.getLogger("io.holdfast.client.seats");
  private static final String HOLDS_A_SEAT = "holds a seat";

  private final Supplier<ConfigSnapshot> subscriptions;
  private final SeatStore store;
  private final Clock clock;
  private final Duration clockSkew;
  private final ExpiredSeatPolicy expiredPolicy;
  private final AtomicReference<Parsed> parsed = new AtomicReference<>();
  private final SeatsInUse seatsInUse;

  /** The document parsed from one snapshot. */
  private record Parsed(ConfigSnapshot snapshot, SubscriptionsDocument document) {}

  private SubscriptionChecker(Builder builder) {
    this.subscriptions = builder.subscriptions;
    this.store = builder.store;
    this.clock = builder.clock;
    this.clockSkew = builder.clockSkew;
    this.expiredPolicy = builder.expiredPolicy;
    this.seatsInUse = new SeatsInUse(store);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Decides a login, assigning a seat if one is free and the user has none. */
  public Admission admit(String application, String user) {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(user, "user");
    Parsed current = current();
    ConfigSnapshot snapshot = current.snapshot();
    Instant now = clock.instant();
    if (store.holds(application, user)) {
      Subscription ruling = current.document().ruling(application, now, clockSkew);
      if (ruling != null && ruling.status() != SubscriptionStatus.ACTIVE) {
        String reason = current.document().entitlement(application, now, clockSkew).reason();
        return decision(
            application,
            user,
            Outcome.DENIED_NOT_SUBSCRIBED,
            reason + "; the seat is kept",
            snapshot);
      }
      return decision(application, user, Outcome.ADMITTED, HOLDS_A_SEAT, snapshot);
    }
    Status status = snapshot.status();
    if (status == Status.EXPIRED && expiredPolicy == ExpiredSeatPolicy.DENY_NEW_SEATS) {
      return decision(
          application,
          user,
          Outcome.DENIED_UNVERIFIED,
          "licensing service unreachable ("
              + snapshot.freshness().reason()
              + "); new seats wait for a verified subscriptions document",
          snapshot);
    }
    Entitlement entitlement = current.document().entitlement(application, now, clockSkew);
    if (entitlement.kind() == Entitlement.Kind.UNKNOWN) {
      return decision(application, user, Outcome.DENIED_UNVERIFIED, entitlement.reason(), snapshot);
    }
    if (entitlement.kind() != Entitlement.Kind.IN_FORCE) {
      return decision(
          application, user, Outcome.DENIED_NOT_SUBSCRIBED, entitlement.reason(), snapshot);
    }
    long limit = entitlement.subscription().limit();
    Assignment assignment = store.tryAssign(application, user, limit);
    if (assignment == Assignment.ASSIGNED) {
      return decision(
          application,
          user,
          Outcome.ADMITTED,
          "seat assigned under " + entitlement.reason(),
          snapshot);
    }
    if (assignment == Assignment.ALREADY_HELD) {
      // Another login of the same user assigned it between the holder check and this one.
      return decision(application, user, Outcome.ADMITTED, HOLDS_A_SEAT, snapshot);
    }
    if (status == Status.EXPIRED) {
      return decision(
          application,
          user,
          Outcome.DENIED_UNVERIFIED,
          "licensing service unreachable ("
              + snapshot.freshness().reason()
              + ") and the last-known "
              + limit
              + " seats are taken",
          snapshot);
    }
    return decision(
        application,
        user,
        Outcome.DENIED_LIMIT_REACHED,
        "all " + limit + " seats are taken under " + entitlement.reason(),
        snapshot);
  }

  /**
   * Gives the user's seat back (at logout, or when an administrator frees it).
   *
   * @return whether the user held one
   */
  public boolean release(String application, String user) {
    return store.release(
        Objects.requireNonNull(application, "application"), Objects.requireNonNull(user, "user"));
  }

  /**
   * Seats in use per application, as {@link SeatsInUse} reports them (never throwing). Give the
   * client a {@code new SeatsInUse(store)}: it exists before the client, the checker after.
   */
  public Map<String, Long> seatsInUse() {
    return seatsInUse.get();
  }

  /** One application's seats in use against what the held document grants now. */
  public SeatUsage usage(String application) {
    Objects.requireNonNull(application, "application");
    Parsed current = current();
    return usage(application, current, clock.instant(), store.count(application));
  }

  /**
   * Every application's usage: each the held document names and each with a seat in the store, by
   * name.
   */
  public Map<String, SeatUsage> usage() {
    Parsed current = current();
    Instant now = clock.instant();
    Map<String, Long> counts = store.counts();
    Map<String, SeatUsage> usage = new TreeMap<>();
    current
        .document()
        .applications()
        .forEach(app -> usage.put(app, usage(app, current, now, counts.getOrDefault(app, 0L))));
    counts.forEach((app, inUse) -> usage.computeIfAbsent(app, a -> usage(a, current, now, inUse)));
    return usage;
  }

  private SeatUsage usage(String application, Parsed current, Instant now, long inUse) {
    Entitlement entitlement = current.document().entitlement(application, now, clockSkew);
    boolean inForce = entitlement.kind() == Entitlement.Kind.IN_FORCE;
    return new SeatUsage(
        application,
        inUse,
        entitlement.kind() != Entitlement.Kind.UNKNOWN,
        inForce ? entitlement.subscription().quantity() : 0,
        inForce ? entitlement.subscription().overage() : 0,
        entitlement.reason(),
        current.snapshot().freshness());
  }

  private Admission decision(
      String application, String user, Outcome outcome, String reason, ConfigSnapshot snapshot) {
    return new Admission(
        application, user, outcome, reason, snapshot.freshness(), snapshot.revision());
  }

  /** The current snapshot with its parsed document, parsing only when the snapshot changed. */
  private Parsed current() {
    ConfigSnapshot snapshot =
        Objects.requireNonNull(subscriptions.get(), "the subscriptions source returned null");
    Parsed cached = parsed.get();
    if (cached != null && cached.snapshot() == snapshot) {
      return cached;
    }
    Parsed fresh = new Parsed(snapshot, document(snapshot));
    Parsed previous = parsed.getAndSet(fresh);
    if (previous == null || previous.snapshot().revision() != snapshot.revision()) {
      fresh
          .document()
          .problems()
          .forEach(
              problem ->
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "subscriptions revision {0}: {1}",
                      snapshot.revision(),
                      problem));
    }
    return fresh;
  }

  private static SubscriptionsDocument document(ConfigSnapshot snapshot) {
    if (snapshot.status() == Status.INITIALIZING) {
      return SubscriptionsDocument.unknown(
          "no subscriptions document yet (" + snapshot.freshness().reason() + ")");
    }
    SubscriptionsDocument document = SubscriptionsDocument.parse(snapshot.content());
    if (snapshot.status() == Status.EXPIRED
        && document.applications().isEmpty()
        && !document.problems().isEmpty()) {
      // ExpiredPolicy.USE_DEFAULTS: the client serves no content once expired.
      return SubscriptionsDocument.unknown(
          "licensing service unreachable ("
              + snapshot.freshness().reason()
              + ") and the last-known subscriptions are not served");
    }
    return document;
  }

  /** Configures a {@link SubscriptionChecker}. Not thread-safe. */
  public static final class Builder {

    private Supplier<ConfigSnapshot> subscriptions;
    private SeatStore store;
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofMinutes(5);
    private ExpiredSeatPolicy expiredPolicy = ExpiredSeatPolicy.DENY_NEW_SEATS;

    private Builder() {}

    /**
     * Reads subscriptions from the client's {@code subscriptions} namespace: a {@link
     * io.holdfast.client.HoldfastClient}, or in an application's tests the testkit's fixed
     * documents.
     *
     * @throws IllegalArgumentException if the client was not configured with that namespace
     */
    public Builder client(HoldfastConfig client) {
      Objects.requireNonNull(client, "client");
      client.snapshot(NAMESPACE);
      return subscriptions(() -> client.snapshot(NAMESPACE));
    }

    /** Where the {@code subscriptions} snapshot comes from; it must never return {@code null}. */
    public Builder subscriptions(Supplier<ConfigSnapshot> source) {
      this.subscriptions = Objects.requireNonNull(source, "subscriptions source");
      return this;
    }

    /** Where seats are assigned: the tenant's own database ({@link JdbcSeatStore}) or memory. */
    public Builder seatStore(SeatStore store) {
      this.store = Objects.requireNonNull(store, "seat store");
      return this;
    }

    /** The wall clock that contract periods are compared with (default the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How far this machine's clock may be off (default 5 min): a period counts as in force from
     * {@code validFrom - skew} until {@code validUntil + skew}. Zero to 1 day.
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "clock skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("clock skew must be between 0 and 1 day: " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * What new users get once the namespace is EXPIRED (default {@link
     * ExpiredSeatPolicy#DENY_NEW_SEATS}).
     */
    public Builder expiredPolicy(ExpiredSeatPolicy policy) {
      this.expiredPolicy = Objects.requireNonNull(policy, "expired policy");
      return this;
    }

    /**
     * @throws IllegalStateException naming the first missing required value
     */
    public SubscriptionChecker build() {
      if (subscriptions == null) {
        throw new IllegalStateException(
            "subscriptions source is required: client(...) or subscriptions(...)");
      }
      if (store == null) {
        throw new IllegalStateException("seat store is required: seatStore(...)");
      }
      return new SubscriptionChecker(this);
    }
  }
}
