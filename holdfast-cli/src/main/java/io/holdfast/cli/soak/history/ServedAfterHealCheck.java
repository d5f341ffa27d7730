package io.holdfast.cli.soak.history;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every acknowledged revision is served by every replica after the final heal: for each document
 * with an acknowledged revision, each replica read after the {@link Heal} serves at least the
 * newest acknowledged revision, and at that revision the acknowledged content. Reads recorded
 * before the heal do not count.
 */
final class ServedAfterHealCheck implements HistoryCheck {

  private final Acknowledgements acknowledgements;
  private final TreeSet<String> replicas = new TreeSet<>();
  private final Map<DocumentKey, Map<String, Served>> served = new HashMap<>();
  private boolean healed;

  ServedAfterHealCheck(Acknowledgements acknowledgements) {
    this.acknowledgements = acknowledgements;
  }

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof Heal) {
      healed = true;
    } else if (event instanceof Served s && healed) {
      replicas.add(s.replica());
      served
          .computeIfAbsent(new DocumentKey(s.instance(), s.namespace()), k -> new HashMap<>())
          .put(s.replica(), s);
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    if (!healed) {
      violations.report(
          ViolationKind.INCOMPLETE_HISTORY,
          endNanos,
          "runner",
          "no final heal was recorded, so nothing can be judged after it");
      return;
    }
    if (replicas.isEmpty() && !acknowledgements.documents().isEmpty()) {
      violations.report(
          ViolationKind.INCOMPLETE_HISTORY,
          endNanos,
          "runner",
          "no replica was read after the final heal");
      return;
    }
    for (DocumentKey key : acknowledgements.documents()) {
      long newest = acknowledgements.newest(key);
      Map<String, Served> byReplica = served.getOrDefault(key, Map.of());
      for (String replica : replicas) {
        judge(key, newest, replica, byReplica.get(replica), endNanos, violations);
      }
    }
  }

  private void judge(
      DocumentKey key,
      long newest,
      String replica,
      Served read,
      long endNanos,
      Violations violations) {
    if (read == null) {
      violations.report(
          ViolationKind.INCOMPLETE_HISTORY,
          endNanos,
          replica,
          "%s was not read for %s after the final heal".formatted(replica, key));
      return;
    }
    String acknowledgedHash = acknowledgements.hash(key, newest);
    String problem;
    if (read.error() != null) {
      problem =
          "serves nothing for %s (%s) though revision %d was acknowledged"
              .formatted(key, read.error(), newest);
    } else if (read.revision() < newest) {
      problem =
          "serves %s revision %d, behind acknowledged revision %d"
              .formatted(key, read.revision(), newest);
    } else if (read.revision() == newest
        && ContentHashes.conflict(read.contentHash(), acknowledgedHash)) {
      problem =
          "serves %s revision %d with hash %s but it was acknowledged with hash %s"
              .formatted(key, newest, read.contentHash(), acknowledgedHash);
    } else {
      return;
    }
    violations.report(
        ViolationKind.ACKNOWLEDGED_NOT_SERVED, read.nanos(), replica, replica + " " + problem);
  }
}
