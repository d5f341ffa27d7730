package io.holdfast.server.window;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed window, zone and blackout is refused with a message that names the part that is
 * wrong: the API returns it as the detail of a 400 problem and the CLI prints it.
 */
class WindowValidationTest {

  static Stream<Arguments> malformedTexts() {
    return Stream.of(
        window(
            "",
            "a window is empty: write ranges and a zone, e.g. 'Mon-Fri 19:00-07:00, Sat-Sun all day"
                + " in Europe/London'"),
        window(
            "Mon-Fri 19:00-07:00",
            "window 'Mon-Fri 19:00-07:00' names no time zone: end it with ' in <zone>', e.g."
                + " 'Mon-Fri 19:00-07:00 in Europe/London'"),
        window(
            "in Europe/London",
            "a window needs at least one range, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'"),
        window(
            "Mon 19:00-07:00 in Europe/Londn",
            "unknown time zone 'Europe/Londn': use an IANA name such as Europe/London,"
                + " America/New_York or UTC"),
        window(
            "Mon 19:00-07:00 in europe/london",
            "unknown time zone 'europe/london'; did you mean 'Europe/London'?"),
        window(
            "Mon 19:00-07:00 in +01:00",
            "'+01:00' is a fixed offset, not a time zone: name the IANA zone whose clocks the"
                + " customer follows, e.g. Europe/London"),
        window(
            "Mon 19:00-07:00 in EST",
            "unknown time zone 'EST': use an IANA name such as Europe/London, America/New_York or"
                + " UTC"),
        window(
            "Mnn-Fri 19:00-07:00 in UTC",
            "range 'Mnn-Fri 19:00-07:00': unknown day 'Mnn': use Mon, Tue, Wed, Thu, Fri, Sat or"
                + " Sun (or 'daily')"),
        window(
            "Mon-Wed-Fri 19:00-07:00 in UTC",
            "range 'Mon-Wed-Fri 19:00-07:00': 'Mon-Wed-Fri' is not a day or a span of days such as"
                + " Mon-Fri"),
        window(
            "Mon 25:00-07:00 in UTC",
            "range 'Mon 25:00-07:00': '25:00' is not a time of day: use HH:MM from 00:00 to 23:59"
                + " (24:00 only as an end)"),
        window(
            "Mon 19:60-07:00 in UTC",
            "range 'Mon 19:60-07:00': '19:60' is not a time of day: use HH:MM from 00:00 to 23:59"
                + " (24:00 only as an end)"),
        window(
            "Mon 7pm-7am in UTC",
            "range 'Mon 7pm-7am': '7pm' is not a time of day: use HH:MM from 00:00 to 23:59 (24:00"
                + " only as an end)"),
        window(
            "Mon 24:00-07:00 in UTC",
            "range 'Mon 24:00-07:00' starts at 24:00: start the next day at 00:00 instead"),
        window(
            "Mon 19:00-19:00 in UTC",
            "range 'Mon 19:00-19:00' starts and ends at 19:00 and so is empty; write 'all day' for"
                + " a whole day"),
        window(
            "Mon 00:00-00:00 in UTC",
            "range 'Mon 00:00-00:00' starts and ends at 00:00 and so is empty; write 'all day' for"
                + " a whole day"),
        window(
            "Mon 19:00-Mon 19:00 in UTC",
            "range 'Mon 19:00-Mon 19:00' ends where it starts and so is empty; 'daily all day' is"
                + " open all week"),
        window(
            "Mon 19:00 in UTC",
            "range 'Mon 19:00': '19:00' is not a span of times such as 19:00-07:00, or 'all day'; a"
                + " range that runs over several days starts on one day, e.g. 'Fri 19:00-Mon"
                + " 07:00'"),
        window(
            "Mon-Fri 19:00-Sat 07:00 in UTC",
            "range 'Mon-Fri 19:00-Sat 07:00': '19:00-Sat 07:00' is not a span of times such as"
                + " 19:00-07:00, or 'all day'; a range that runs over several days starts on one"
                + " day, e.g. 'Fri 19:00-Mon 07:00'"),
        window(
            "Mon in UTC",
            "range 'Mon': give days and then times, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all"
                + " day'"),
        window(
            "Mon 10:00-12:00,, Tue 10:00-12:00 in UTC",
            "a range is empty: write days and times, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all"
                + " day'"),
        window(
            "Mon-Fri 09:00-17:00, Wed 12:00-18:00 in UTC",
            "ranges 'Mon-Fri 09:00-17:00' and 'Wed 12:00-18:00' overlap on Wed; join them into one"
                + " range"),
        window(
            "Mon 10:00-12:00, Mon 10:00-12:00 in UTC",
            "ranges 'Mon 10:00-12:00' and 'Mon 10:00-12:00' overlap on Mon; join them into one"
                + " range"),
        window(
            "Sun 23:00-Mon 01:00, Sun 22:00-23:30 in UTC",
            "ranges 'Sun 23:00-01:00' and 'Sun 22:00-23:30' overlap on Sun; join them into one"
                + " range"),
        window(
            "Fri 19:00-Mon 07:00, Sat all day in UTC",
            "range 'Sat all day' lies wholly inside 'Fri 19:00-Mon 07:00'; leave it out there"),
        window(
            "Sat-Tue 10:00-12:00, Fri 19:00-Mon 07:00 in UTC",
            "range 'Sat-Tue 10:00-12:00' on Sat lies wholly inside 'Fri 19:00-Mon 07:00'; leave it"
                + " out there"),
        window(
            "Sun 20:00-08:00, Mon 00:00-07:00 in UTC",
            "range 'Mon 00:00-07:00' lies wholly inside 'Sun 20:00-08:00'; leave it out there"),
        blackout(
            "",
            "a blackout is empty: write days and a reason, e.g. '2027-11-26..2027-11-29: Black"
                + " Friday'"),
        blackout(
            "2027-11-26..2027-11-29",
            "blackout '2027-11-26..2027-11-29': give a reason after a colon, e.g."
                + " '2027-11-26..2027-11-29: Black Friday'"),
        blackout(
            "2027-11-29..2027-11-26: Black Friday",
            "blackout from 2027-11-29 to 2027-11-26 ends before it starts"),
        blackout(
            "2027-02-30: Quarter end", "blackout day '2027-02-30' is not a date: use YYYY-MM-DD"),
        blackout(
            "26/11/2027: Black Friday", "blackout day '26/11/2027' is not a date: use YYYY-MM-DD"),
        blackout(
            "2027-11-26..: Black Friday",
            "blackout day '2027-11-26…' is not a date: use YYYY-MM-DD"),
        blackout(
            "2027-11-26:  ",
            "blackout from 2027-11-26 to 2027-11-26 needs a reason, e.g. 'Black Friday'"),
        blackout(
            "2027-01-01..2028-12-31: all of it",
            "blackout from 2027-01-01 to 2028-12-31 lasts 731 days; at most 366 (stop everything"
                + " for longer with a freeze)"),
        blackout(
            "1969-12-31: before time",
            "blackout from 1969-12-31 to 1969-12-31: dates are in the years 1970 to 9999"),
        blackout(
            "2027-11-26 in Mars/Olympus: Black Friday",
            "unknown time zone 'Mars/Olympus': use an IANA name such as Europe/London,"
                + " America/New_York or UTC"),
        blackout(
            "2027-11-26 at London: Black Friday",
            "blackout '2027-11-26 at London: Black Friday': write a day (YYYY-MM-DD) or days"
                + " (YYYY-MM-DD..YYYY-MM-DD), optionally 'in <zone>', then a colon and the"
                + " reason"),
        blackout(
            "2027-11-26: " + "x".repeat(201),
            "blackout from 2027-11-26 to 2027-11-26: the reason is 201 characters; at most 200"));
  }

  private static Arguments window(String text, String message) {
    return Arguments.of(Reader.WINDOW, text, message);
  }

  private static Arguments blackout(String text, String message) {
    return Arguments.of(Reader.BLACKOUT, text, message);
  }

  /** What reads the text in a row of {@link #malformedTexts}. */
  enum Reader {
    WINDOW,
    BLACKOUT;

    void read(String text) {
      if (this == WINDOW) {
        ChangeWindow.parse(text);
      } else {
        Blackout.parse(text);
      }
    }
  }

  @ParameterizedTest(name = "[{index}] {0} ''{1}''")
  @MethodSource("malformedTexts")
  void aMalformedText_isRefused_namingWhatIsWrong(Reader reader, String text, String message) {
    assertThatThrownBy(() -> reader.read(text))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage(message);
  }

  @Test
  void aMissingWindow_isRefusedLikeAnEmptyOne() {
    assertThatThrownBy(() -> ChangeWindow.parse(null))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessageStartingWith("a window is empty");
  }

  @Test
  void moreThan64Ranges_areRefused() {
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      ranges.add(
          String.format("Mon %02d:%02d-%02d:%02d", i / 4, i % 4 * 15, i / 4, i % 4 * 15 + 10));
    }
    assertThatThrownBy(() -> ChangeWindow.parse(String.join(", ", ranges) + " in UTC"))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("a window has at most 64 ranges; got 65");
    assertThatThrownBy(() -> ChangeWindow.of("UTC", ranges))
        .hasMessage("a window has at most 64 ranges; got 65");
    // 64 of them are fine.
    ChangeWindow.of("UTC", ranges.subList(0, 64));
  }

  @Test
  void anOverLongText_isRefusedBeforeItIsRead() {
    String text = "Mon 10:00-12:00 " + " ".repeat(5000) + "in UTC";

    assertThatThrownBy(() -> ChangeWindow.parse(text))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("a window's text is at most 4096 characters; got " + text.length());
  }

  @Test
  void anOverLongRange_isRefused() {
    String range = "Mon 10:00-12:00" + " ".repeat(30) + "x".repeat(40);

    assertThatThrownBy(() -> ChangeWindow.of("UTC", List.of(range)))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("a range's text is at most 64 characters; got 85");
  }

  @Test
  void theJsonShape_takesOneRangePerEntry() {
    assertThatThrownBy(
            () -> ChangeWindow.of("UTC", List.of("Mon-Fri 19:00-07:00, Sat-Sun all day")))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage(
            "range 'Mon-Fri 19:00-07:00, Sat-Sun all day': one range per entry; split it at the"
                + " comma");
  }

  @Test
  void theJsonShape_needsAZoneAndARange() {
    assertThatThrownBy(() -> ChangeWindow.of(null, List.of("Mon all day")))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("a time zone is required, e.g. Europe/London");
    assertThatThrownBy(() -> ChangeWindow.of("UTC", List.of()))
        .hasMessage(
            "a window needs at least one range, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    assertThatThrownBy(() -> ChangeWindow.of("UTC", null))
        .hasMessage(
            "a window needs at least one range, e.g. 'Mon-Fri 19:00-07:00' or 'Sat-Sun all day'");
    assertThatThrownBy(() -> ChangeWindow.of("UTC", Collections.singletonList(null)))
        .hasMessageStartingWith("a range is empty");
  }

  @Test
  void anOverLongZone_isRefusedWithoutLookingItUp() {
    assertThatThrownBy(() -> IanaZone.parse("Europe/" + "x".repeat(60)))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("time zone name is 67 characters; IANA names are at most 32");
  }

  @Test
  void aFixedOffsetZone_isRefusedInCode_asInText() {
    WeeklyPattern evenings = WeeklyPattern.parse("Mon-Fri 19:00-07:00");

    assertThatThrownBy(() -> ChangeWindow.of(ZoneOffset.ofHours(1), evenings))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessageStartingWith("'+01:00' is a fixed offset, not a time zone");
  }

  @Test
  void aRangeBuiltInCode_isCheckedLikeATypedOne() {
    assertThatThrownBy(
            () ->
                new WindowRange(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY, 600, 1440))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage(
            "a range open longer than a day opens on one day only, e.g. 'Fri 19:00-Mon 07:00'");
    assertThatThrownBy(
            () -> new WindowRange(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.MONDAY, 1440, 60))
        .hasMessage("a range starts 0 to 1439 minutes after midnight; got 1440");
    assertThatThrownBy(
            () -> new WindowRange(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.MONDAY, 0, 0))
        .hasMessage("a range is open 1 to 10079 minutes; got 0");
  }

  @Test
  void aBlackoutReason_isOneLine() {
    assertThatThrownBy(() -> Blackout.of("2027-11-26", null, null, "Black\nFriday"))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage(
            "blackout from 2027-11-26 to 2027-11-26: the reason is one line, without control"
                + " characters");
  }

  @Test
  void aBlackoutOfExactly366Days_isAccepted() {
    Blackout.parse("2028-01-01..2028-12-31: a leap year");
  }

  @Test
  void anOverLongBlackoutText_isRefusedBeforeItIsRead() {
    String text = "2027-11-26: " + "x".repeat(400);

    assertThatThrownBy(() -> Blackout.parse(text))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("a blackout's text is at most 400 characters; got 412");
  }

  @Test
  void moreThan366BlackoutsAtOneLevel_areRefused() {
    Blackout one = Blackout.parse("2027-11-26: Black Friday");
    List<Blackout> many = Collections.nCopies(367, one);

    assertThatThrownBy(() -> new RingTiming(java.util.Optional.empty(), many))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessage("at most 366 blackouts at one level (global, a ring or an instance); got 367");
    assertThatThrownBy(
            () -> ReleaseSchedule.forInstance(many, RingTiming.NONE, InstanceTiming.NONE))
        .hasMessage("at most 366 blackouts at one level (global, a ring or an instance); got 367");
    new RingTiming(java.util.Optional.empty(), many.subList(0, 366));
  }

  @Test
  void anInstanceZone_mustBeAnIanaZone() {
    assertThatThrownBy(
            () ->
                new InstanceTiming(
                    java.util.Optional.of(ZoneOffset.ofHours(-5)),
                    java.util.Optional.empty(),
                    List.of()))
        .isInstanceOf(InvalidWindowException.class)
        .hasMessageStartingWith("'-05:00' is a fixed offset");
  }
}
