package io.holdfast.server.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text and JSON forms of windows: what operators type, and what the API stores. */
class WindowTextTest {

  @Test
  void aWindow_readsItsRangesAndZone() {
    ChangeWindow w = ChangeWindow.parse("Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London");

    assertThat(w.zone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(w.pattern().ranges())
        .containsExactly(
            new WindowRange(DayOfWeek.MONDAY, DayOfWeek.FRIDAY, 19 * 60, 12 * 60),
            new WindowRange(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, 0, 24 * 60));
    assertThat(w.open()).containsExactly("Mon-Fri 19:00-07:00", "Sat-Sun all day");
    assertThat(w.format()).isEqualTo("Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London");
  }

  @ParameterizedTest(name = "''{0}'' is written ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "Mon-Fri 19:00-07:00            | Mon-Fri 19:00-07:00",
        "mon-FRI 7:00-9:30              | Mon-Fri 07:00-09:30",
        "Monday-Friday 19:00-07:00      | Mon-Fri 19:00-07:00",
        "Mon – Fri 19:00 – 07:00        | Mon-Fri 19:00-07:00",
        "Mon  -  Fri   19:00-07:00      | Mon-Fri 19:00-07:00",
        "Sat-Sun ALL DAY                | Sat-Sun all day",
        "Sat-Sun 00:00-24:00            | Sat-Sun all day",
        "Wed 19:00-24:00                | Wed 19:00-24:00",
        "Wed 19:00-00:00                | Wed 19:00-24:00",
        "Wed 00:00-07:00                | Wed 00:00-07:00",
        "daily 22:00-05:00              | daily 22:00-05:00",
        "Mon-Sun 22:00-05:00            | daily 22:00-05:00",
        "Sun-Sat 22:00-05:00            | Sun-Sat 22:00-05:00",
        "Fri-Mon 20:00-23:00            | Fri-Mon 20:00-23:00",
        "Tue-Tue 10:00-11:00            | Tue 10:00-11:00",
        "Fri 19:00-Mon 07:00            | Fri 19:00-Mon 07:00",
        "fri 19:00 - mon 7:00           | Fri 19:00-Mon 07:00",
        "Fri 19:00-Sun 24:00            | Fri 19:00-Mon 00:00",
        "Fri 19:00-Sat 07:00            | Fri 19:00-07:00",
        "Mon 10:00-Tue 10:00            | Mon 10:00-Tue 10:00",
        "Mon 00:00-Tue 00:00            | Mon all day",
        "Mon 10:00-Mon 09:00            | Mon 10:00-Mon 09:00",
        "Sun 23:00-Mon 01:00            | Sun 23:00-01:00",
      })
  void aRange_isWrittenInOneCanonicalForm_thatReadsBackEqual(String typed, String canonical) {
    WindowRange range = WindowRange.parse(typed);

    assertThat(range.format()).isEqualTo(canonical);
    assertThat(WindowRange.parse(canonical)).isEqualTo(range);
  }

  @Test
  void aStretch_opensOnItsFirstDay_forAsLongAsItRuns() {
    assertThat(WindowRange.parse("Fri 19:00-Mon 07:00"))
        .isEqualTo(new WindowRange(DayOfWeek.FRIDAY, DayOfWeek.FRIDAY, 19 * 60, 60 * 60));
    assertThat(WindowRange.parse("Mon 10:00-Mon 09:00").minutes()).isEqualTo(7 * 24 * 60 - 60);
  }

  @Test
  void anOvernightRange_belongsToTheDayItStarts() {
    WindowRange r = WindowRange.parse("Sun-Mon 22:00-06:00");

    assertThat(r).isEqualTo(new WindowRange(DayOfWeek.SUNDAY, DayOfWeek.MONDAY, 22 * 60, 8 * 60));
  }

  @Test
  void theZone_isFoundAfterTheLastIn_inAnyCase() {
    assertThat(ChangeWindow.parse("Mon 10:00-12:00 IN America/New_York").zone())
        .isEqualTo(ZoneId.of("America/New_York"));
    assertThat(ChangeWindow.parse("  daily all day in UTC  ").format())
        .isEqualTo("daily all day in UTC");
  }

  @Test
  void theJsonShape_givesTheSameWindowAsTheText() {
    ChangeWindow fromJson =
        ChangeWindow.of("Asia/Kolkata", List.of("Mon-Thu 19:00-07:00", "Fri 19:00-Mon 07:00"));

    assertThat(fromJson)
        .isEqualTo(ChangeWindow.parse("Mon-Thu 19:00-07:00, Fri 19:00-Mon 07:00 in Asia/Kolkata"));
    assertThat(ChangeWindow.of(fromJson.zone().getId(), fromJson.open())).isEqualTo(fromJson);
  }

  @Test
  void rangesKeepTheirOrder_andOrderCountsForEquality() {
    ChangeWindow a = ChangeWindow.parse("Sat-Sun all day, Mon-Fri 19:00-07:00 in UTC");
    ChangeWindow b = ChangeWindow.parse("Mon-Fri 19:00-07:00, Sat-Sun all day in UTC");

    assertThat(a.format()).isEqualTo("Sat-Sun all day, Mon-Fri 19:00-07:00 in UTC");
    assertThat(a).isNotEqualTo(b);
    assertThat(ChangeWindow.parse(a.format())).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void inZone_keepsTheOpenHours_andChangesOnlyTheZone() {
    ChangeWindow london = ChangeWindow.parse("Mon-Fri 19:00-07:00 in Europe/London");

    ChangeWindow tokyo = london.inZone(ZoneId.of("Asia/Tokyo"));

    assertThat(tokyo).isEqualTo(ChangeWindow.parse("Mon-Fri 19:00-07:00 in Asia/Tokyo"));
    assertThat(london.inZone(ZoneId.of("Europe/London"))).isSameAs(london);
  }

  @Test
  void aBlackout_isWrittenInOneCanonicalForm_thatReadsBackEqual() {
    Blackout b = Blackout.parse("  2027-11-26 .. 2027-11-29  IN America/New_York :  Black Friday ");

    assertThat(b.from()).hasToString("2027-11-26");
    assertThat(b.to()).hasToString("2027-11-29");
    assertThat(b.zone()).contains(ZoneId.of("America/New_York"));
    assertThat(b.reason()).isEqualTo("Black Friday");
    assertThat(b.format()).isEqualTo("2027-11-26..2027-11-29 in America/New_York: Black Friday");
    assertThat(Blackout.parse(b.format())).isEqualTo(b);
  }

  @Test
  void aOneDayBlackout_withoutAZone_andAReasonWithColons() {
    Blackout b = Blackout.parse("2027-12-24: freeze: Christmas Eve");

    assertThat(b.to()).isEqualTo(b.from());
    assertThat(b.zone()).isEmpty();
    assertThat(b.reason()).isEqualTo("freeze: Christmas Eve");
    assertThat(b.format()).isEqualTo("2027-12-24: freeze: Christmas Eve");
    assertThat(Blackout.parse(b.format())).isEqualTo(b);
  }

  @Test
  void theBlackoutJsonShape_givesTheSameBlackoutAsTheText() {
    assertThat(Blackout.of("2027-11-26", "2027-11-29", "America/New_York", "Black Friday"))
        .isEqualTo(Blackout.parse("2027-11-26..2027-11-29 in America/New_York: Black Friday"));
    assertThat(Blackout.of("2027-12-24", null, null, "Christmas Eve"))
        .isEqualTo(Blackout.parse("2027-12-24: Christmas Eve"));
  }
}
