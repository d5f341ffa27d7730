package io.holdfast.cli.soak.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No client ever sees a revision go backwards, per namespace and across its restarts (FAULTS I4),
 * and one client never sees one revision with two contents. A client that holds nothing after it
 * held a document went backwards too. A {@link ClientStarted} without its cache resets what the
 * client may regress from.
 */
final class MonotonicRevisionCheck implements HistoryCheck {

  private record Held(long revision, String contentHash, long nanos) {}

  private final Map<String, Map<String, Held>> newestByClient = new HashMap<>();

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (event instanceof ClientStarted started && !started.cacheKept()) {
      newestByClient.remove(started.client());
    } else if (event instanceof Observed observed) {
      observe(observed, violations);
    }
  }

  private void observe(Observed o, Violations violations) {
    Map<String, Held> newest = newestByClient.computeIfAbsent(o.client(), c -> new HashMap<>());
    Held before = newest.get(o.namespace());
    DocumentKey key = new DocumentKey(o.instance(), o.namespace());
    if (before != null && o.revision() < before.revision()) {
      violations.reportOnce(
          ViolationKind.REVISION_WENT_BACKWARDS,
          List.of(o.client(), key, o.revision()),
          o.nanos(),
          o.client(),
          "%s held %s revision %d after revision %d (seen at %s)"
              .formatted(
                  o.client(),
                  key,
                  o.revision(),
                  before.revision(),
                  SoakTimes.format(before.nanos())));
      return;
    }
    if (before != null
        && o.revision() == before.revision()
        && ContentHashes.conflict(o.contentHash(), before.contentHash())) {
      violations.reportOnce(
          ViolationKind.CONFLICTING_CONTENT,
          List.of(o.client(), key, o.revision()),
          o.nanos(),
          o.client(),
          "%s held %s revision %d with hash %s after holding it with hash %s"
              .formatted(o.client(), key, o.revision(), o.contentHash(), before.contentHash()));
      return;
    }
    if (o.holdsDocument() && (before == null || o.revision() > before.revision())) {
      newest.put(o.namespace(), new Held(o.revision(), o.contentHash(), o.nanos()));
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    // Judged as the events come.
  }
}
