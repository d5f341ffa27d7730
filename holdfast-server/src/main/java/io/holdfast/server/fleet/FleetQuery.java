package io.holdfast.server.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A filter over the fleet view; {@code null} members do not filter.
 *
 * @param silentFor only instances not heard from for at least this long (never-reported ones too)
 * @param graceBelow only instances with less grace remaining than this
 */
public record FleetQuery(
    FleetState state, String ring, Long minLag, Duration silentFor, Duration graceBelow) {

  public static final FleetQuery ALL = new FleetQuery(null, null, null, null, null);

  public List<FleetEntry> apply(FleetView view) {
    Instant now = view.at();
    return view.entries().stream()
        .filter(e -> state == null || e.state() == state)
        .filter(e -> ring == null || ring.equals(e.ring()))
        .filter(e -> minLag == null || e.revisionLag() >= minLag)
        .filter(
            e ->
                silentFor == null
                    || e.lastContact() == null
                    || Duration.between(e.lastContact(), now).compareTo(silentFor) >= 0)
        .filter(
            e ->
                graceBelow == null
                    || (e.graceRemaining() != null && e.graceRemaining().compareTo(graceBelow) < 0))
        .toList();
  }
}
