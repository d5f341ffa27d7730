package io.holdfast.server.window;

import static io.holdfast.server.window.OpenPeriods.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows driven across a summer week (no clock change) in three zones: each open period, its exact
 * opening and closing instants, and the answers in between.
 */
class ChangeWindowTest {

  private static final String EVENINGS_AND_WEEKENDS = "Mon-Fri 19:00-07:00, Sat-Sun all day";
  // Monday 7 June 2027, midnight UTC; every zone below is still on Sunday or already on Monday.
  private static final Instant WEEK_START = Instant.parse("2027-06-06T12:00:00Z");
  private static final Instant WEEK_END = Instant.parse("2027-06-14T12:00:00Z");
  // Wednesday 9 June 2027, noon UTC, when none of the Monday-to-Sunday windows below is open.
  private static final String WEDNESDAY = "2027-06-09T12:00:00Z";

  @Test
  void london_evenings_andAWeekendThatFridayNightRunsInto() {
    ChangeWindow w = ChangeWindow.parse(EVENINGS_AND_WEEKENDS + " in Europe/London");

    // British Summer Time, UTC+1. Friday night, Saturday and Sunday are one period. Sunday's range
    // ends at midnight, so Monday 00:00-07:00 is closed: the first Monday range opens at 19:00.
    assertThat(periods(w))
        .containsExactly(
            "2027-06-04T18:00:00Z/2027-06-06T23:00:00Z",
            "2027-06-07T18:00:00Z/2027-06-08T06:00:00Z",
            "2027-06-08T18:00:00Z/2027-06-09T06:00:00Z",
            "2027-06-09T18:00:00Z/2027-06-10T06:00:00Z",
            "2027-06-10T18:00:00Z/2027-06-11T06:00:00Z",
            "2027-06-11T18:00:00Z/2027-06-13T23:00:00Z");
  }

  @Test
  void newYork_theSamePattern_opensOnNewYorkEvenings() {
    ChangeWindow w = ChangeWindow.parse(EVENINGS_AND_WEEKENDS + " in America/New_York");

    // Eastern Daylight Time, UTC-4.
    assertThat(periods(w))
        .containsExactly(
            "2027-06-04T23:00:00Z/2027-06-07T04:00:00Z",
            "2027-06-07T23:00:00Z/2027-06-08T11:00:00Z",
            "2027-06-08T23:00:00Z/2027-06-09T11:00:00Z",
            "2027-06-09T23:00:00Z/2027-06-10T11:00:00Z",
            "2027-06-10T23:00:00Z/2027-06-11T11:00:00Z",
            "2027-06-11T23:00:00Z/2027-06-14T04:00:00Z");
  }

  @Test
  void kolkata_aWeekendStretch_runsOnIntoMondayMorning() {
    ChangeWindow w = ChangeWindow.parse("Mon-Thu 19:00-07:00, Fri 19:00-Mon 07:00 in Asia/Kolkata");

    // India Standard Time, UTC+05:30 all year. The stretch keeps Monday 00:00-07:00 open.
    assertThat(periods(w))
        .containsExactly(
            "2027-06-04T13:30:00Z/2027-06-07T01:30:00Z",
            "2027-06-07T13:30:00Z/2027-06-08T01:30:00Z",
            "2027-06-08T13:30:00Z/2027-06-09T01:30:00Z",
            "2027-06-09T13:30:00Z/2027-06-10T01:30:00Z",
            "2027-06-10T13:30:00Z/2027-06-11T01:30:00Z",
            "2027-06-11T13:30:00Z/2027-06-14T01:30:00Z");
  }

  @Test
  void hourByHour_theAnswersAgreeWithEachOther() {
    ChangeWindow w = ChangeWindow.parse(EVENINGS_AND_WEEKENDS + " in Europe/London");
    int open = 0;
    for (Instant t = WEEK_START; t.isBefore(WEEK_END); t = t.plus(Duration.ofMinutes(30))) {
      Instant next = w.nextOpening(t);
      if (w.isOpen(t)) {
        open++;
        assertThat(next).isEqualTo(t);
        assertThat(w.openUntil(t).orElseThrow()).isAfter(t);
      } else {
        assertThat(next).isAfter(t);
        assertThat(w.isOpen(next)).isTrue();
        assertThat(w.isOpen(next.minusNanos(1))).isFalse();
        assertThat(w.openUntil(t)).isEmpty();
      }
    }
    // Half hours open from Sunday 13:00 BST: 11 h of Sunday, four 12 h weeknights, and Friday
    // 19:00 to Monday 00:00 (53 h); Monday 14 June to 13:00 is closed.
    assertThat(open).isEqualTo((11 + 4 * 12 + 53) * 2);
  }

  @Test
  void aPeriodIsHalfOpen_openAtItsOpening_closedAtItsClosing() {
    ChangeWindow w = ChangeWindow.parse("Wed 19:00-07:00 in Europe/London");
    Instant opening = Instant.parse("2027-06-09T18:00:00Z");
    Instant closing = Instant.parse("2027-06-10T06:00:00Z");

    assertThat(w.isOpen(opening.minusNanos(1))).isFalse();
    assertThat(w.nextOpening(opening.minusNanos(1))).isEqualTo(opening);
    assertThat(w.isOpen(opening)).isTrue();
    assertThat(w.openUntil(opening)).contains(closing);
    assertThat(w.isOpen(closing.minusNanos(1))).isTrue();
    assertThat(w.isOpen(closing)).isFalse();
    assertThat(w.nextOpening(closing)).isEqualTo(opening.plus(Duration.ofDays(7)));
  }

  @Test
  void overMidnight_theNightBelongsToTheDayItStarts() {
    ChangeWindow w = ChangeWindow.parse("Sun 22:00-02:00 in UTC");

    assertThat(w.isOpen(Instant.parse("2027-06-14T01:59:00Z"))).isTrue(); // Monday
    assertThat(w.isOpen(Instant.parse("2027-06-13T01:00:00Z"))).isFalse(); // Sunday morning
    // Saturday night is not Sunday's: the next opening from then is Sunday 22:00.
    assertThat(next("Sun 22:00-02:00 in UTC", "2027-06-12T23:00:00Z"))
        .isEqualTo("2027-06-13T22:00:00Z/2027-06-14T02:00:00Z");
  }

  @Test
  void adjacentRanges_makeOnePeriod_withNoClosedInstantBetween() {
    assertThat(next("Mon 10:00-12:00, Mon 12:00-14:00, Mon 14:00-15:00 in UTC", WEDNESDAY))
        .isEqualTo("2027-06-14T10:00:00Z/2027-06-14T15:00:00Z");
  }

  @Test
  void aNightRunningIntoAnAllDayWeekend_isOnePeriodToMondayMidnight() {
    assertThat(next("Fri 19:00-07:00, Sat all day, Sun all day in UTC", WEDNESDAY))
        .isEqualTo("2027-06-11T19:00:00Z/2027-06-14T00:00:00Z");
  }

  @Test
  void rangesWrittenOutOfOrder_andANightOverlappingTheNextDay_stillMerge() {
    assertThat(next("Tue 06:00-09:00, Mon 20:00-07:00 in UTC", WEDNESDAY))
        .isEqualTo("2027-06-14T20:00:00Z/2027-06-15T09:00:00Z");
  }

  @Test
  void aWindowOpeningOnceAWeek_isFoundAWeekAhead() {
    // Just after this week's minute (Tuesday 03:00 IST): next Tuesday.
    assertThat(next("Tue 03:00-03:01 in Asia/Kolkata", "2027-06-07T21:31:00Z"))
        .isEqualTo("2027-06-14T21:30:00Z/2027-06-14T21:31:00Z");
  }

  @Test
  void aStretchOfAlmostAWeek_isSeenFromItsLastDay() {
    ChangeWindow w = ChangeWindow.parse("Mon 10:00-Mon 09:00 in UTC");
    Instant sundayNight = Instant.parse("2027-06-13T23:00:00Z");

    assertThat(w.isOpen(sundayNight)).isTrue();
    assertThat(w.openUntil(sundayNight)).contains(Instant.parse("2027-06-14T09:00:00Z"));
    assertThat(next("Mon 10:00-Mon 09:00 in UTC", "2027-06-14T09:30:00Z"))
        .isEqualTo("2027-06-14T10:00:00Z/2027-06-21T09:00:00Z");
  }

  @Test
  void aWindowCoveringTheWholeWeek_neverCloses() {
    ChangeWindow w =
        ChangeWindow.parse(
            "Mon-Fri 12:00-24:00, Sat-Sun all day, Mon-Fri 00:00-12:00 in Europe/London");
    Instant t = Instant.parse("2027-03-28T01:00:00Z"); // the spring-forward jump itself

    assertThat(w.isAlwaysOpen()).isTrue();
    assertThat(w.isOpen(t)).isTrue();
    assertThat(w.nextOpening(t)).isEqualTo(t);
    assertThat(w.openUntil(t)).isEmpty();
  }

  private static List<String> periods(ChangeWindow w) {
    return OpenPeriods.between(w, WEEK_START, WEEK_END);
  }
}
