package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DEMO SETTING: sample tenant {@value #TENANT} (ring beta) is a customer in Tokyo that takes
 * changes only in a daily twelve-hour window which opens {@code --window-in} after the demo starts
 * (10 minutes by default). A change that reaches beta in the tour before then waits for it there,
 * as changes wait for each customer's evening in production (issue 22), and {@code holdfast change
 * status} shows it waiting and when its window opens. Every start sets it anew through the admin
 * API, as {@code holdfast instance update} would; {@code --window-in 0} removes it.
 */
final class DemoWindow {

  static final String TENANT = "globex-beta";
  static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

  /** The longest {@code --window-in}. */
  static final Duration MAX_DELAY = Duration.ofHours(12);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([smh])");

  private DemoWindow() {}

  /**
   * {@code --window-in}: {@code 0}, a number of seconds, minutes or hours ({@code 90s}, {@code
   * 10m}, {@code 2h}) or an ISO 8601 duration, up to {@link #MAX_DELAY}.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  static Duration delay(String option) {
    String text = option.strip();
    Duration delay;
    try {
      Matcher m = SHORT_DURATION.matcher(text);
      if (text.equals("0")) {
        delay = Duration.ZERO;
      } else if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        delay =
            switch (m.group(2)) {
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              default -> Duration.ofHours(amount);
            };
      } else {
        delay = Duration.parse(text);
      }
    } catch (DateTimeParseException e) {
      delay = null;
    }
    if (delay == null || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "--window-in must be 0 or a duration up to 12h such as 90s, 10m or 2h, was '"
              + option
              + "'");
    }
    return delay;
  }

  /**
   * Sets (or, for a zero delay, removes) the tenant's zone and window.
   *
   * @return the window as set, for the tour; empty when removed
   */
  static Optional<String> apply(AdminClient admin, Duration opensIn, Instant now) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (opensIn.isZero()) {
      body.putNull("zone").putNull("changeWindow");
      admin.patch("/v1/admin/instances/" + TENANT, body);
      return Optional.empty();
    }
    LocalTime opens = now.plus(opensIn).atZone(ZONE).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
    String window = "daily " + opens + "-" + opens.plusHours(12) + " in " + ZONE.getId();
    body.put("zone", ZONE.getId()).put("changeWindow", window);
    admin.patch("/v1/admin/instances/" + TENANT, body);
    return Optional.of(window);
  }
}
