package io.holdfast.server.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random windows against an independent model: a bitmap of the 10,080 minutes of a week, filled
 * from the ranges and read minute by minute. The model knows nothing of periods, merging or the
 * day-by-day search, so it checks them. Zones without clock changes keep the model simple; the
 * clock changes have their own exact tests.
 */
class ChangeWindowPropertiesTest {

  private static final int WEEK = 7 * 24 * 60;
  private static final Instant EPOCH_MONDAY = Instant.parse("2027-06-07T00:00:00Z");

  @Property(tries = 300)
  void format_readsBackEqual(
      @ForAll("patterns") WeeklyPattern pattern, @ForAll("zones") ZoneId zone) {
    ChangeWindow w = ChangeWindow.of(zone, pattern);

    assertThat(ChangeWindow.parse(w.format())).isEqualTo(w);
    assertThat(ChangeWindow.of(zone.getId(), w.open())).isEqualTo(w);
    assertThat(WeeklyPattern.parse(pattern.format())).isEqualTo(pattern);
  }

  @Property(tries = 300)
  void answers_matchTheMinuteModel(
      @ForAll("patterns") WeeklyPattern pattern,
      @ForAll("zones") ZoneId zone,
      @ForAll("offsets") long secondsIntoTheFortnight) {
    ChangeWindow w = ChangeWindow.of(zone, pattern);
    BitSet model = model(pattern);
    Instant at = EPOCH_MONDAY.plusSeconds(secondsIntoTheFortnight);

    boolean open = modelOpen(model, zone, at);
    assertThat(w.isOpen(at)).as("open at %s", at).isEqualTo(open);
    assertThat(w.isAlwaysOpen()).isEqualTo(model.cardinality() == WEEK);

    // The model moves minute by minute from the start of the minute `at` is in.
    Instant minute = at.minusSeconds(at.getEpochSecond() % 60).minusNanos(at.getNano());
    if (open) {
      assertThat(w.nextOpening(at)).isEqualTo(at);
      Instant end = minute;
      for (int i = 0; i <= WEEK && modelOpen(model, zone, end); i++) {
        end = end.plus(Duration.ofMinutes(1));
      }
      if (model.cardinality() == WEEK) {
        assertThat(w.openUntil(at)).isEmpty();
      } else {
        assertThat(w.openUntil(at)).contains(end);
      }
    } else {
      Instant next = minute.plus(Duration.ofMinutes(1));
      while (!modelOpen(model, zone, next)) {
        next = next.plus(Duration.ofMinutes(1));
      }
      assertThat(w.nextOpening(at)).isEqualTo(next);
      assertThat(w.openUntil(at)).isEmpty();
    }
  }

  private static BitSet model(WeeklyPattern pattern) {
    BitSet open = new BitSet(WEEK);
    for (WindowRange r : pattern.ranges()) {
      for (DayOfWeek day : DayOfWeek.values()) {
        int fromFirst = Math.floorMod(day.ordinal() - r.firstDay().ordinal(), 7);
        int count = Math.floorMod(r.lastDay().ordinal() - r.firstDay().ordinal(), 7) + 1;
        if (fromFirst < count) {
          int start = day.ordinal() * 24 * 60 + r.startMinute();
          for (int m = 0; m < r.minutes(); m++) {
            open.set((start + m) % WEEK);
          }
        }
      }
    }
    return open;
  }

  private static boolean modelOpen(BitSet model, ZoneId zone, Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    int minuteOfWeek =
        local.getDayOfWeek().ordinal() * 24 * 60 + local.getHour() * 60 + local.getMinute();
    return model.get(minuteOfWeek);
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of("UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/Phoenix", "Asia/Tokyo")
        .map(ZoneId::of);
  }

  @Provide
  Arbitrary<Long> offsets() {
    return Arbitraries.longs().between(0, 14L * 24 * 3600 - 1);
  }

  @Provide
  Arbitrary<WeeklyPattern> patterns() {
    Arbitrary<DayOfWeek> days = Arbitraries.of(DayOfWeek.class);
    // Quarter hours make ranges that touch and run into each other likely.
    Arbitrary<Integer> starts = Arbitraries.integers().between(0, 95).map(q -> q * 15);
    Arbitrary<WindowRange> daily =
        Combinators.combine(days, days, starts, Arbitraries.integers().between(1, 96))
            .as(
                (first, last, start, quarters) ->
                    quarters == 96 // a whole day opens at midnight: "all day"
                        ? new WindowRange(first, last, 0, 24 * 60)
                        : new WindowRange(first, last, start, quarters * 15));
    Arbitrary<WindowRange> stretch =
        Combinators.combine(days, starts, Arbitraries.integers().between(1, WEEK / 15 - 1))
            .as((day, start, quarters) -> new WindowRange(day, day, start, quarters * 15));
    Arbitrary<WindowRange> range =
        Arbitraries.frequencyOf(Tuple.of(4, daily), Tuple.of(1, stretch));
    return range.list().ofMinSize(1).ofMaxSize(8).map(ChangeWindowPropertiesTest::accepted);
  }

  /** The candidates in order, leaving out each that the pattern refuses next to those kept. */
  private static WeeklyPattern accepted(List<WindowRange> candidates) {
    List<WindowRange> kept = new ArrayList<>();
    for (WindowRange candidate : candidates) {
      kept.add(candidate);
      try {
        WeeklyPattern.of(kept);
      } catch (InvalidWindowException refused) {
        kept.remove(kept.size() - 1);
      }
    }
    return WeeklyPattern.of(kept);
  }
}
