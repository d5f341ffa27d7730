package io.holdfast.cli.upgrade;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which instances a check reads: all of them, or {@code size} drawn at random. The draw is made
 * from the ids in sorted order with a seeded {@link Random}, so the same seed over the same fleet
 * picks the same instances, whatever order the replica listed them in. Stateless.
 */
final class InstanceSample {

  private InstanceSample() {}

  /**
   * @param size how many to draw; {@code null} for every instance
   * @return the chosen ids, sorted
   */
  static List<String> choose(List<String> ids, Integer size, long seed) {
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    if (size == null || size >= sorted.size()) {
      return sorted;
    }
    Collections.shuffle(sorted, new Random(seed));
    List<String> chosen = new ArrayList<>(sorted.subList(0, size));
    Collections.sort(chosen);
    return chosen;
  }
}
