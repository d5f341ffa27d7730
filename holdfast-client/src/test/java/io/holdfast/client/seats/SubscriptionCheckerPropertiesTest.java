package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.FROM;
import static io.holdfast.client.seats.SubscriptionSnapshots.document;
import static io.holdfast.client.seats.SubscriptionSnapshots.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.Status;
import io.holdfast.client.internal.ManualTime;
import io.holdfast.client.seats.Admission.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The checker over random histories of verified documents (quantity and overage changes,
 * suspensions, cancellations, an application dropped, an unreadable entry, a contract ending),
 * status changes (STALE, EXPIRED, confirmed FRESH again: the document stays, as the client keeps
 * it), logins, logouts and time passing, under both expired-seat policies. After every login:
 *
 * <ul>
 *   <li>a new seat is only ever assigned while at most quantity + overage are then held, from a
 *       readable, active subscription, and not once EXPIRED under DENY_NEW_SEATS;
 *   <li>a holder is never denied, unless the held document suspends or cancels the application;
 *   <li>an unverified state (no document, EXPIRED, an unreadable entry) never yields
 *       DENIED_LIMIT_REACHED, and "limit reached" means the seats really are all taken.
 * </ul>
 *
 * A verified lower quantity keeps its holders, so the bound is on new admissions: the count may
 * exceed a lowered limit, but never grows while it does.
 */
class SubscriptionCheckerPropertiesTest {

  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final int USERS = 8;

  enum Kind {
    PUBLISH,
    GO_STALE,
    EXPIRE,
    CONFIRM,
    ADMIT,
    RELEASE,
    ADVANCE
  }

  enum Variant {
    ACTIVE,
    ACTIVE_ENDING,
    SUSPENDED,
    CANCELLED,
    APPLICATION_MISSING,
    UNREADABLE
  }

  /** One step: {@code a} and {@code b} are a quantity and overage, a user, or minutes, by kind. */
  record Event(Kind kind, Variant variant, int a, int b) {}

  /** The held document, as the test published it. */
  private record Published(Variant variant, long quantity, long overage, Instant end) {

    boolean readable() {
      return variant != Variant.UNREADABLE;
    }

    boolean covers(Instant now) {
      return end == null || now.isBefore(end.plus(SKEW));
    }

    boolean stopped(Instant now) {
      return (variant == Variant.SUSPENDED || variant == Variant.CANCELLED) && covers(now);
    }

    boolean inForce(Instant now) {
      return (variant == Variant.ACTIVE || variant == Variant.ACTIVE_ENDING) && covers(now);
    }

    String content() {
      switch (variant) {
        case APPLICATION_MISSING:
          return document("erp", entry("s-1", quantity, overage, "active", FROM, null));
        case UNREADABLE:
          return document(
              "crm",
              entry("s-1", quantity, overage, "active", FROM, null)
                  .replace("\"named\"", "\"floating\""));
        case SUSPENDED:
          return document("crm", entry("s-1", quantity, overage, "suspended", FROM, end));
        case CANCELLED:
          return document("crm", entry("s-1", quantity, overage, "cancelled", FROM, end));
        default:
          return document("crm", entry("s-1", quantity, overage, "active", FROM, end));
      }
    }
  }

  @Provide
  Arbitrary<List<Event>> histories() {
    Arbitrary<Event> event =
        Combinators.combine(
                // Mostly logins, so that limits are reached and seats change hands between
                // documents.
                Arbitraries.frequency(
                    Tuple.of(6, Kind.ADMIT),
                    Tuple.of(2, Kind.RELEASE),
                    Tuple.of(2, Kind.PUBLISH),
                    Tuple.of(1, Kind.GO_STALE),
                    Tuple.of(1, Kind.EXPIRE),
                    Tuple.of(1, Kind.CONFIRM),
                    Tuple.of(1, Kind.ADVANCE)),
                Arbitraries.of(Variant.class),
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 2))
            .as(Event::new);
    return event.list().ofMinSize(1).ofMaxSize(80);
  }

  @Property(tries = 400)
  void seatsStayWithinTheLimit_holdersAreNeverDenied_andUnknownIsNeverALimit(
      @ForAll("histories") List<Event> history, @ForAll ExpiredSeatPolicy policy) {
    ManualTime time = new ManualTime();
    SubscriptionSnapshots source = new SubscriptionSnapshots();
    InMemorySeatStore store = new InMemorySeatStore();
    SubscriptionChecker checker =
        SubscriptionChecker.builder()
            .subscriptions(source)
            .seatStore(store)
            .clock(time.clock())
            .clockSkew(SKEW)
            .expiredPolicy(policy)
            .build();
    Published held = null;
    Status status = Status.INITIALIZING;
    long revision = 0;

    for (Event event : history) {
      switch (event.kind()) {
        case PUBLISH:
          Instant end =
              event.variant() == Variant.ACTIVE_ENDING
                  ? time.now().plus(Duration.ofMinutes(30))
                  : null;
          held = new Published(event.variant(), event.a(), event.b(), end);
          status = Status.FRESH;
          source.serve(SubscriptionSnapshots.snapshot(status, ++revision, held.content()));
          break;
        case GO_STALE:
        case EXPIRE:
        case CONFIRM:
          if (held != null) {
            status =
                event.kind() == Kind.GO_STALE
                    ? Status.STALE
                    : event.kind() == Kind.EXPIRE ? Status.EXPIRED : Status.FRESH;
            source.becomes(status);
          }
          break;
        case RELEASE:
          checker.release("crm", "user-" + event.a());
          break;
        case ADVANCE:
          time.advance(Duration.ofMinutes(10L * event.a()));
          break;
        default:
          login(
              checker,
              store,
              "user-" + (event.a() + event.b() * 7) % USERS,
              held,
              status,
              policy,
              time.now());
      }
      if (held != null && held.readable() && held.inForce(time.now())) {
        assertThat(checker.usage("crm").quantity())
            .as("the quantity is the held document's")
            .isEqualTo(held.quantity());
      }
    }
  }

  private static void login(
      SubscriptionChecker checker,
      SeatStore store,
      String user,
      Published held,
      Status status,
      ExpiredSeatPolicy policy,
      Instant now) {
    boolean holder = store.holds("crm", user);
    long before = store.count("crm");
    Admission admission = checker.admit("crm", user);
    Outcome outcome = admission.outcome();
    long after = store.count("crm");
    boolean unverified = held == null || status == Status.EXPIRED || !held.readable();

    assertThat(admission.freshness().status()).isEqualTo(status);
    if (unverified) {
      assertThat(outcome).as("unknown is never a limit").isNotEqualTo(Outcome.DENIED_LIMIT_REACHED);
    }
    if (holder) {
      boolean stopped = held != null && held.stopped(now);
      assertThat(outcome)
          .as("a holder")
          .isEqualTo(stopped ? Outcome.DENIED_NOT_SUBSCRIBED : Outcome.ADMITTED);
      assertThat(after).isEqualTo(before);
      return;
    }
    if (outcome == Outcome.ADMITTED) {
      assertThat(held).as("a document was held").isNotNull();
      assertThat(held.readable() && held.inForce(now))
          .as("an active subscription is in force")
          .isTrue();
      assertThat(status == Status.EXPIRED && policy == ExpiredSeatPolicy.DENY_NEW_SEATS)
          .as("expired, deny")
          .isFalse();
      assertThat(after)
          .as("a new seat within quantity + overage")
          .isEqualTo(before + 1)
          .isLessThanOrEqualTo(held.quantity() + held.overage());
    } else {
      assertThat(after).as("a refusal assigns nothing").isEqualTo(before);
    }
    if (outcome == Outcome.DENIED_LIMIT_REACHED) {
      assertThat(before)
          .as("the seats really are all taken")
          .isGreaterThanOrEqualTo(held.quantity() + held.overage());
    }
    if (held != null
        && held.readable()
        && held.inForce(now)
        && status != Status.EXPIRED
        && before < held.quantity() + held.overage()) {
      assertThat(outcome)
          .as("a free seat under a verified subscription is granted")
          .isEqualTo(Outcome.ADMITTED);
    }
  }
}
