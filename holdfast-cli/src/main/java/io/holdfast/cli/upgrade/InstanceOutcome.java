package io.holdfast.cli.upgrade;

import java.util.List;

/**
 * What the check found for one instance.
 *
 * @param documents documents compared: the checksums and each namespace listed
 * @param differences every difference found, in the order found
 * @param unsettled why the replicas never agreed on a revision within the settle time, or {@code
 *     null} when they did and the instance was compared
 */
record InstanceOutcome(
    String instance, int documents, List<Difference> differences, String unsettled) {

  InstanceOutcome {
    differences = List.copyOf(differences);
  }

  static InstanceOutcome unsettled(String instance, String why) {
    return new InstanceOutcome(instance, 0, List.of(), why);
  }
}
