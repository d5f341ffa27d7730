package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

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

  private DemoWindow() {}

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
