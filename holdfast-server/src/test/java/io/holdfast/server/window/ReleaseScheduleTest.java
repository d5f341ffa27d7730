package io.holdfast.server.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An instance's schedule: its effective window (ring's or its own, in its zone) with blackouts from
 * every level, and the bound that turns "never" into an answer.
 */
class ReleaseScheduleTest {

  private static final Duration WEEK = Duration.ofDays(7);
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ChangeWindow LONDON_EVENINGS =
      ChangeWindow.parse("Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London");
  // Wednesday 9 June 2027, 12:00 UTC: 13:00 in London, 21:00 in Tokyo, 08:00 in New York.
  private static final Instant WEDNESDAY_NOON = Instant.parse("2027-06-09T12:00:00Z");

  @Test
  void noWindowAndNoBlackouts_isAlwaysOpen() {
    ReleaseSchedule s = schedule(List.of(), RingTiming.NONE, InstanceTiming.NONE);

    assertThat(s.window()).isEmpty();
    assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(s.isOpen(WEDNESDAY_NOON)).isTrue();
    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.ZERO)).contains(WEDNESDAY_NOON);
  }

  @Test
  void theRingWindow_appliesInTheRingZone_whenTheInstanceHasNone() {
    ReleaseSchedule s = schedule(List.of(), ring(LONDON_EVENINGS), InstanceTiming.NONE);

    assertThat(s.window()).contains(LONDON_EVENINGS);
    assertThat(s.zone()).isEqualTo(LONDON);
    assertThat(s.isOpen(WEDNESDAY_NOON)).isFalse();
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK))
        .contains(Instant.parse("2027-06-09T18:00:00Z")); // 19:00 BST
  }

  @Test
  void anInstanceZone_readsTheRingsOpenHoursOnTheCustomersClock() {
    InstanceTiming tokyo = new InstanceTiming(Optional.of(TOKYO), Optional.empty(), List.of());
    InstanceTiming newYork = new InstanceTiming(Optional.of(NEW_YORK), Optional.empty(), List.of());

    ReleaseSchedule inTokyo = schedule(List.of(), ring(LONDON_EVENINGS), tokyo);
    ReleaseSchedule inNewYork = schedule(List.of(), ring(LONDON_EVENINGS), newYork);

    assertThat(inTokyo.window())
        .contains(ChangeWindow.parse("Mon-Fri 19:00-07:00, Sat-Sun all day in Asia/Tokyo"));
    assertThat(inTokyo.isOpen(WEDNESDAY_NOON)).isTrue(); // 21:00 in Tokyo
    assertThat(inNewYork.isOpen(WEDNESDAY_NOON)).isFalse(); // 08:00 in New York
    assertThat(inNewYork.nextOpening(WEDNESDAY_NOON, WEEK))
        .contains(Instant.parse("2027-06-09T23:00:00Z")); // 19:00 EDT
  }

  @Test
  void anInstanceWindow_winsOverTheRings_asWrittenWithItsOwnZone() {
    ChangeWindow own = ChangeWindow.parse("daily 02:00-04:00 in Asia/Tokyo");
    InstanceTiming instance =
        new InstanceTiming(Optional.of(NEW_YORK), Optional.of(own), List.of());

    ReleaseSchedule s = schedule(List.of(), ring(LONDON_EVENINGS), instance);

    assertThat(s.window()).contains(own);
    // Blackouts naming no zone are still read on the customer's own calendar.
    assertThat(s.zone()).isEqualTo(NEW_YORK);
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK))
        .contains(Instant.parse("2027-06-09T17:00:00Z")); // Thursday 02:00 in Tokyo
  }

  @Test
  void anInstanceWindow_appliesEvenWhenTheRingHasNone() {
    ChangeWindow own = ChangeWindow.parse("Sat all day in Europe/London");

    ReleaseSchedule s =
        schedule(
            List.of(),
            RingTiming.NONE,
            new InstanceTiming(Optional.empty(), Optional.of(own), List.of()));

    assertThat(s.zone()).isEqualTo(LONDON);
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK)).contains(Instant.parse("2027-06-11T23:00:00Z"));
  }

  @Test
  void aGlobalBlackout_holdsForAnAlwaysOpenInstance_onItsOwnCalendar() {
    List<Blackout> global = List.of(Blackout.parse("2027-06-09: company offsite"));
    InstanceTiming tokyo = new InstanceTiming(Optional.of(TOKYO), Optional.empty(), List.of());

    ReleaseSchedule s = schedule(global, RingTiming.NONE, tokyo);

    // Wednesday in Tokyo: from 2027-06-08T15:00Z to 2027-06-09T15:00Z.
    assertThat(s.isOpen(Instant.parse("2027-06-08T14:59:59Z"))).isTrue();
    assertThat(s.isOpen(Instant.parse("2027-06-08T15:00:00Z"))).isFalse();
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK)).contains(Instant.parse("2027-06-09T15:00:00Z"));
    ActiveBlackout holding = s.blackoutAt(WEDNESDAY_NOON).orElseThrow();
    assertThat(holding.level()).isEqualTo(BlackoutLevel.GLOBAL);
    assertThat(holding.blackout().reason()).isEqualTo("company offsite");
    assertThat(holding.from()).isEqualTo(Instant.parse("2027-06-08T15:00:00Z"));
    assertThat(holding.until()).isEqualTo(Instant.parse("2027-06-09T15:00:00Z"));
  }

  @Test
  void aRingBlackout_pushesTheOpeningPastIt_toTheWindowsNextOpening() {
    RingTiming ring =
        new RingTiming(
            Optional.of(LONDON_EVENINGS), List.of(Blackout.parse("2027-06-09..2027-06-10: audit")));

    ReleaseSchedule s = schedule(List.of(), ring, InstanceTiming.NONE);

    // Wednesday and Thursday evenings are blacked out until Friday 00:00 BST, when Thursday night
    // is still open: the change goes then, not at Friday 19:00.
    assertThat(s.isOpen(Instant.parse("2027-06-09T20:00:00Z"))).isFalse();
    assertThat(s.blackoutAt(Instant.parse("2027-06-09T20:00:00Z")).orElseThrow().level())
        .isEqualTo(BlackoutLevel.RING);
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK)).contains(Instant.parse("2027-06-10T23:00:00Z"));
  }

  @Test
  void anInstanceBlackout_endingInTheDay_waitsForTheWindowAfterIt() {
    InstanceTiming instance =
        new InstanceTiming(
            Optional.empty(),
            Optional.empty(),
            List.of(Blackout.parse("2027-06-11..2027-06-12: quarter end")));

    ReleaseSchedule s = schedule(List.of(), ring(LONDON_EVENINGS), instance);

    // Friday and Saturday are out; the window is open all Sunday, from 00:00 BST.
    assertThat(s.blackoutAt(Instant.parse("2027-06-11T20:00:00Z")).orElseThrow().level())
        .isEqualTo(BlackoutLevel.INSTANCE);
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK)).contains(Instant.parse("2027-06-09T18:00:00Z"));
    assertThat(s.nextOpening(Instant.parse("2027-06-11T12:00:00Z"), WEEK))
        .contains(Instant.parse("2027-06-12T23:00:00Z"));
  }

  @Test
  void blackoutsAtEveryLevel_chainedDayAfterDay_arePassedOneAfterAnother() {
    List<Blackout> global = List.of(Blackout.parse("2027-12-24: Christmas Eve"));
    RingTiming ring =
        new RingTiming(
            Optional.empty(), List.of(Blackout.parse("2027-12-25..2027-12-26: Christmas")));
    InstanceTiming instance =
        new InstanceTiming(
            Optional.of(NEW_YORK),
            Optional.empty(),
            List.of(Blackout.parse("2027-12-27: stock take")));

    ReleaseSchedule s = schedule(global, ring, instance);

    Instant christmasEveMorning = Instant.parse("2027-12-24T15:00:00Z");
    assertThat(s.nextOpening(christmasEveMorning, WEEK))
        .contains(Instant.parse("2027-12-28T05:00:00Z")); // 28 December, 00:00 EST
    assertThat(s.blackouts())
        .extracting(ActiveBlackout::level)
        .containsExactly(BlackoutLevel.GLOBAL, BlackoutLevel.RING, BlackoutLevel.INSTANCE);
  }

  @Test
  void aBlackoutNamingAZone_isReadInThatZone_whateverTheInstances() {
    List<Blackout> global = List.of(Blackout.parse("2027-11-26 in America/New_York: Black Friday"));
    InstanceTiming tokyo = new InstanceTiming(Optional.of(TOKYO), Optional.empty(), List.of());

    ReleaseSchedule s = schedule(global, RingTiming.NONE, tokyo);

    ActiveBlackout b = s.blackouts().get(0);
    assertThat(b.from()).isEqualTo(Instant.parse("2027-11-26T05:00:00Z"));
    assertThat(b.until()).isEqualTo(Instant.parse("2027-11-27T05:00:00Z"));
    assertThat(s.isOpen(Instant.parse("2027-11-26T04:59:59Z"))).isTrue();
    assertThat(s.isOpen(Instant.parse("2027-11-27T04:59:59Z"))).isFalse();
    assertThat(s.isOpen(Instant.parse("2027-11-27T05:00:00Z"))).isTrue();
  }

  @Test
  void overlappingBlackouts_holdUntilTheLastOfThemEnds() {
    List<Blackout> global =
        List.of(
            Blackout.parse("2027-06-09..2027-06-10: a"),
            Blackout.parse("2027-06-08..2027-06-12: b"));

    ReleaseSchedule s = schedule(global, RingTiming.NONE, InstanceTiming.NONE);

    assertThat(s.blackoutAt(WEDNESDAY_NOON).orElseThrow().blackout().reason()).isEqualTo("b");
    assertThat(s.nextOpening(WEDNESDAY_NOON, WEEK)).contains(Instant.parse("2027-06-13T00:00:00Z"));
  }

  @Test
  void blackoutDays_followTheClockChange_23And25Hours() {
    InstanceTiming london = new InstanceTiming(Optional.of(LONDON), Optional.empty(), List.of());
    List<Blackout> global =
        List.of(Blackout.parse("2027-03-28: spring"), Blackout.parse("2027-10-31: autumn"));

    ReleaseSchedule s = schedule(global, RingTiming.NONE, london);

    assertThat(s.blackouts())
        .extracting(b -> b.from() + "/" + b.until())
        .containsExactly(
            "2027-03-28T00:00:00Z/2027-03-28T23:00:00Z",
            "2027-10-30T23:00:00Z/2027-11-01T00:00:00Z");
  }

  @Test
  void noOpeningWithinTheBound_isEmpty_notAWaitForEver() {
    ChangeWindow sundays = ChangeWindow.parse("Sun 02:00-03:00 in UTC");
    ReleaseSchedule s = schedule(List.of(), ring(sundays), InstanceTiming.NONE);
    Instant sundayOpening = Instant.parse("2027-06-13T02:00:00Z");

    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.ofDays(3))).isEmpty();
    // The bound is inclusive: an opening exactly at it counts.
    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.between(WEDNESDAY_NOON, sundayOpening)))
        .contains(sundayOpening);
    assertThat(
            s.nextOpening(
                WEDNESDAY_NOON, Duration.between(WEDNESDAY_NOON, sundayOpening).minusNanos(1)))
        .isEmpty();
  }

  @Test
  void blackoutsThatCoverEveryOpeningWithinTheBound_giveEmpty() {
    ChangeWindow sundays = ChangeWindow.parse("Sun 02:00-03:00 in UTC");
    RingTiming ring =
        new RingTiming(
            Optional.of(sundays),
            List.of(
                Blackout.parse("2027-06-13: first Sunday"),
                Blackout.parse("2027-06-20: second Sunday")));

    ReleaseSchedule s = schedule(List.of(), ring, InstanceTiming.NONE);

    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.ofDays(14))).isEmpty();
    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.ofDays(21)))
        .contains(Instant.parse("2027-06-27T02:00:00Z"));
  }

  @Test
  void aHugeBound_doesNotOverflow() {
    ReleaseSchedule s = schedule(List.of(), ring(LONDON_EVENINGS), InstanceTiming.NONE);

    assertThat(s.nextOpening(WEDNESDAY_NOON, Duration.ofSeconds(Long.MAX_VALUE)))
        .contains(Instant.parse("2027-06-09T18:00:00Z"));
  }

  @Test
  void aNegativeBound_isAProgrammingError() {
    ReleaseSchedule s = schedule(List.of(), RingTiming.NONE, InstanceTiming.NONE);

    assertThatThrownBy(() -> s.nextOpening(WEDNESDAY_NOON, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("within must not be negative; got PT-1S");
  }

  @Test
  void effectiveWindow_isTheSameRuleForStatusPages() {
    InstanceTiming tokyo = new InstanceTiming(Optional.of(TOKYO), Optional.empty(), List.of());

    assertThat(ReleaseSchedule.effectiveWindow(ring(LONDON_EVENINGS), tokyo))
        .contains(LONDON_EVENINGS.inZone(TOKYO));
    assertThat(ReleaseSchedule.effectiveWindow(RingTiming.NONE, tokyo)).isEmpty();
  }

  private static RingTiming ring(ChangeWindow window) {
    return new RingTiming(Optional.of(window), List.of());
  }

  private static ReleaseSchedule schedule(
      List<Blackout> global, RingTiming ring, InstanceTiming instance) {
    return ReleaseSchedule.forInstance(global, ring, instance);
  }
}
