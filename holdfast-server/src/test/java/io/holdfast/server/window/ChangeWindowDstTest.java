package io.holdfast.server.window;

import static io.holdfast.server.window.OpenPeriods.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both clock changes of 2027 in London and New York. A boundary at a time the clock skips falls at
 * the jump; in a repeated hour an opening is the first occurrence and a closing the second: summer
 * time never shortens a window.
 *
 * <ul>
 *   <li>London, 28 March: 01:00 GMT becomes 02:00 BST (01:00 UTC); 01:00-01:59 does not exist.
 *   <li>London, 31 October: 02:00 BST becomes 01:00 GMT (01:00 UTC); 01:00-01:59 happens twice.
 *   <li>New York, 14 March: 02:00 EST becomes 03:00 EDT (07:00 UTC); 02:00-02:59 does not exist.
 *   <li>New York, 7 November: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:00-01:59 happens twice.
 * </ul>
 */
class ChangeWindowDstTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
"""
# behaviour                                                    | window                                              | asked at (UTC)       | next open period (UTC)
# An opening at 02:00 BST, the jump, to 03:00 BST: one hour of real time that night.
London spring: an opening the clock skips opens at the jump   | Sun 01:30-03:00 in Europe/London                    | 2027-03-28T00:00:00Z | 2027-03-28T01:00:00Z/2027-03-28T02:00:00Z
London spring: a closing the clock skips closes at the jump   | Sat 22:00-01:30 in Europe/London                    | 2027-03-27T12:00:00Z | 2027-03-27T22:00:00Z/2027-03-28T01:00:00Z
# Closing and opening both fall at the jump: no closed instant between them.
London spring: ranges meeting in the skipped hour stay one    | Sat 22:00-01:30, Sun 01:30-04:00 in Europe/London   | 2027-03-27T12:00:00Z | 2027-03-27T22:00:00Z/2027-03-28T03:00:00Z
# The next 01:10 on a Sunday is a week later, in summer time.
London spring: a range inside the skipped hour skips a week   | Sun 01:10-01:50 in Europe/London                    | 2027-03-28T00:00:00Z | 2027-04-04T00:10:00Z/2027-04-04T00:50:00Z
London spring: an all-day Sunday lasts 23 hours               | Sun all day in Europe/London                        | 2027-03-27T12:00:00Z | 2027-03-28T00:00:00Z/2027-03-28T23:00:00Z
# From the first 01:30 (BST) to 03:00 GMT: two and a half hours, not one and a half.
London autumn: an opening in the repeated hour is the first   | Sun 01:30-03:00 in Europe/London                    | 2027-10-30T12:00:00Z | 2027-10-31T00:30:00Z/2027-10-31T03:00:00Z
# From 22:00 BST to the second 01:30 (GMT), through the whole repeated hour.
London autumn: a closing in the repeated hour is the second   | Sat 22:00-01:30 in Europe/London                    | 2027-10-30T12:00:00Z | 2027-10-30T21:00:00Z/2027-10-31T01:30:00Z
# Closing at the second 01:15 (01:15 UTC) comes after opening at the first 01:45 (00:45 UTC) ...
London autumn: a closed spell in the repeated hour stays open | Sat 22:00-01:15, Sun 01:45-04:00 in Europe/London   | 2027-10-30T12:00:00Z | 2027-10-30T21:00:00Z/2027-10-31T04:00:00Z
# ... while a week earlier the same ranges have their closed half hour.
London, a week before autumn: the closed spell is there       | Sat 22:00-01:15, Sun 01:45-04:00 in Europe/London   | 2027-10-23T12:00:00Z | 2027-10-23T21:00:00Z/2027-10-24T00:15:00Z
London autumn: an all-day Sunday lasts 25 hours               | Sun all day in Europe/London                        | 2027-10-30T12:00:00Z | 2027-10-30T23:00:00Z/2027-11-01T00:00:00Z
New York spring: an opening the clock skips opens at the jump | Sun 02:30-05:00 in America/New_York                 | 2027-03-14T00:00:00Z | 2027-03-14T07:00:00Z/2027-03-14T09:00:00Z
# From 23:00 EST to the jump.
New York spring: a closing the clock skips closes at the jump | Sat 23:00-02:30 in America/New_York                 | 2027-03-13T12:00:00Z | 2027-03-14T04:00:00Z/2027-03-14T07:00:00Z
# Friday 19:00 EST to Monday 00:00 EDT: 53 hours less the skipped one ...
New York spring: the weekend is an hour shorter in UTC        | Mon-Fri 19:00-07:00, Sat-Sun all day in America/New_York | 2027-03-12T12:00:00Z | 2027-03-13T00:00:00Z/2027-03-15T04:00:00Z
# ... and Monday's evening opens at 19:00 EDT.
New York spring: the evening after opens in summer time       | Mon-Fri 19:00-07:00, Sat-Sun all day in America/New_York | 2027-03-15T04:00:00Z | 2027-03-15T23:00:00Z/2027-03-16T11:00:00Z
# From 01:30 EDT to 04:00 EST.
New York autumn: an opening in the repeated hour is the first | Sun 01:30-04:00 in America/New_York                 | 2027-11-06T12:00:00Z | 2027-11-07T05:30:00Z/2027-11-07T09:00:00Z
# From 22:00 EDT to 01:30 EST.
New York autumn: a closing in the repeated hour is the second | Sat 22:00-01:30 in America/New_York                 | 2027-11-06T12:00:00Z | 2027-11-07T02:00:00Z/2027-11-07T06:30:00Z
New York autumn: an all-day Sunday lasts 25 hours             | Sun all day in America/New_York                     | 2027-11-06T12:00:00Z | 2027-11-07T04:00:00Z/2027-11-08T05:00:00Z
# No summer time in India: the same local hours are the same UTC hours all year.
Kolkata in March                                              | Sun 01:30-03:00 in Asia/Kolkata                     | 2027-03-27T12:00:00Z | 2027-03-27T20:00:00Z/2027-03-27T21:30:00Z
Kolkata in October                                            | Sun 01:30-03:00 in Asia/Kolkata                     | 2027-10-30T12:00:00Z | 2027-10-30T20:00:00Z/2027-10-30T21:30:00Z
""")
  void theNextOpenPeriod_acrossAClockChange(
      String behaviour, String window, String askedAt, String period) {
    assertThat(next(window, askedAt)).isEqualTo(period);
  }

  @Test
  void theJumpItself_isOpenOnlyWhenARangeCoversIt() {
    Instant jump = Instant.parse("2027-03-28T01:00:00Z");

    assertThat(ChangeWindow.parse("Sun 01:30-03:00 in Europe/London").isOpen(jump)).isTrue();
    assertThat(ChangeWindow.parse("Sat 22:00-01:30 in Europe/London").isOpen(jump)).isFalse();
    assertThat(ChangeWindow.parse("Sun 01:10-01:50 in Europe/London").isOpen(jump)).isFalse();
  }
}
