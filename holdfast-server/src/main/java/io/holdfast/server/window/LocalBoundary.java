package io.holdfast.server.window;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Where a boundary written in local wall-clock time falls on the time line, read the way a person
 * reads a clock, and so that summer time never shortens an open period:
 *
 * <ul>
 *   <li>an <b>opening</b> happens at the first instant the clock shows that time or later: in a
 *       spring-forward gap (01:30 does not exist), at the instant the clock jumps; in an autumn
 *       overlap (01:30 happens twice), at the first 01:30;
 *   <li>a <b>closing</b> happens at the last instant the clock shows that time: in a gap, at the
 *       instant the clock jumps past it; in an overlap, at the second 01:30.
 * </ul>
 *
 * A period that lies wholly inside a gap is therefore empty, and a closed spell that lies wholly
 * inside a repeated hour can vanish (its closing comes after the next opening).
 */
final class LocalBoundary {

  private LocalBoundary() {}

  static Instant opening(ZoneRules rules, LocalDateTime local) {
    return boundary(rules, local, true);
  }

  static Instant closing(ZoneRules rules, LocalDateTime local) {
    return boundary(rules, local, false);
  }

  private static Instant boundary(ZoneRules rules, LocalDateTime local, boolean opening) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.size() == 1) {
      return local.toInstant(offsets.get(0));
    }
    ZoneOffsetTransition transition = rules.getTransition(local);
    if (transition.isGap()) {
      return transition.getInstant();
    }
    // A repeated hour: the offset before the change gives the first occurrence.
    return local.toInstant(opening ? transition.getOffsetBefore() : transition.getOffsetAfter());
  }
}
