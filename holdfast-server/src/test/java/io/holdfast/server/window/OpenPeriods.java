package io.holdfast.server.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Open periods read from a window's answers alone, written "opening/closing" in UTC. */
final class OpenPeriods {

  private OpenPeriods() {}

  /** The first period opening after {@code after} (UTC text), read from {@code window}'s text. */
  static String next(String window, String after) {
    ChangeWindow w = ChangeWindow.parse(window);
    Instant t = Instant.parse(after);
    assertThat(w.isOpen(t)).as("closed at %s", t).isFalse();
    Instant opening = w.nextOpening(t);
    assertThat(w.isOpen(opening)).isTrue();
    assertThat(w.isOpen(opening.minusNanos(1))).isFalse();
    Instant closing = w.openUntil(opening).orElseThrow();
    assertThat(w.isOpen(closing.minusNanos(1))).isTrue();
    assertThat(w.isOpen(closing)).isFalse();
    return opening + "/" + closing;
  }

  /** Every period that ends after {@code from} and opens before {@code to}, in order. */
  static List<String> between(ChangeWindow w, Instant from, Instant to) {
    List<String> periods = new ArrayList<>();
    Instant t = from;
    while (true) {
      Instant opening = w.nextOpening(t);
      if (!opening.isBefore(to)) {
        return periods;
      }
      Instant closing = w.openUntil(opening).orElseThrow();
      periods.add((opening.equals(from) ? openedAt(w, from) : opening) + "/" + closing);
      t = closing;
    }
  }

  /** When the period open at {@code t} opened: walk the periods forward from a closed instant. */
  private static Instant openedAt(ChangeWindow w, Instant t) {
    Instant closed = t;
    while (w.isOpen(closed)) {
      closed = closed.minus(Duration.ofHours(1));
    }
    Instant opening = w.nextOpening(closed);
    while (!w.openUntil(opening).orElseThrow().isAfter(t)) {
      opening = w.nextOpening(w.openUntil(opening).orElseThrow());
    }
    return opening;
  }
}
