package io.holdfast.cli.gameday;

import java.util.List;

/**
 * One step of a scenario: a breakage added on the first replica or on every replica, on top of the
 * phases before it. Immutable.
 *
 * @param breakage what breaks
 * @param everyReplica every replica, or only the first (A)
 */
record Phase(Breakage breakage, boolean everyReplica) {

  static Phase onFirst(Breakage breakage) {
    return new Phase(breakage, false);
  }

  static Phase onEvery(Breakage breakage) {
    return new Phase(breakage, true);
  }

  /** The replicas, by index among {@code replicaCount}, that this phase breaks. */
  List<Integer> replicas(int replicaCount) {
    return everyReplica
        ? java.util.stream.IntStream.range(0, replicaCount).boxed().toList()
        : List.of(0);
  }

  /** How the timeline names it, such as {@code checksums unavailable on A and B}. */
  String describe(int replicaCount) {
    List<String> names = replicas(replicaCount).stream().map(Phase::replicaName).toList();
    String on =
        names.size() == 1
            ? names.get(0)
            : String.join(", ", names.subList(0, names.size() - 1))
                + " and "
                + names.get(names.size() - 1);
    return breakage.label() + " on " + on;
  }

  /** The letter the timeline gives the replica at {@code index}: A, B, C… */
  static String replicaName(int index) {
    return index < 26 ? String.valueOf((char) ('A' + index)) : "R" + (index + 1);
  }
}
