package io.holdfast.spring.boot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A sample of milliseconds: median and 90th percentile (nearest rank). */
record Figures(List<Long> sorted) {

  static Figures of(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new Figures(List.copyOf(sorted));
  }

  /** The median; the mean of the two middle values for an even count. */
  double median() {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  double p90() {
    int rank = (int) Math.ceil(0.9 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
