package io.holdfast.cli.soak.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No client adopts anything unverified: every document a client holds has a {@code check} that
 * matches its {@code owner} and {@code seq}, and a revision some acknowledged write produced with
 * that content hash. Different clients never hold one revision with two contents.
 *
 * <p>A client may see a write before its acknowledgement is recorded, so revisions are matched
 * against the acknowledgements at the end. A revision that no acknowledged write produced is
 * allowed for a document with a write of unknown outcome ({@link PublishIndeterminate}).
 */
final class AdoptedContentCheck implements HistoryCheck {

  private record FirstSeen(String client, String contentHash, long nanos) {}

  private final Acknowledgements acknowledgements;
  // Each distinct (document, revision) held, with who held it first: bounded by the writes.
  private final Map<DocumentKey, Map<Long, FirstSeen>> held = new HashMap<>();

  AdoptedContentCheck(Acknowledgements acknowledgements) {
    this.acknowledgements = acknowledgements;
  }

  @Override
  public void accept(SoakEvent event, Violations violations) {
    if (!(event instanceof Observed o) || !o.holdsDocument()) {
      return;
    }
    DocumentKey key = new DocumentKey(o.instance(), o.namespace());
    if (o.stamp() != null && !o.stamp().consistent()) {
      violations.reportOnce(
          ViolationKind.UNVERIFIED_ADOPTED,
          List.of(o.client(), key, o.revision()),
          o.nanos(),
          o.client(),
          "%s adopted %s revision %d whose check %s does not match owner %s and seq %d"
              .formatted(
                  o.client(),
                  key,
                  o.revision(),
                  o.stamp().check(),
                  o.stamp().owner(),
                  o.stamp().seq()));
    }
    Map<Long, FirstSeen> revisions = held.computeIfAbsent(key, k -> new HashMap<>());
    FirstSeen first = revisions.get(o.revision());
    if (first == null) {
      revisions.put(o.revision(), new FirstSeen(o.client(), o.contentHash(), o.nanos()));
    } else if (ContentHashes.conflict(first.contentHash(), o.contentHash())) {
      violations.reportOnce(
          ViolationKind.CONFLICTING_CONTENT,
          List.of(o.client(), key, o.revision()),
          o.nanos(),
          o.client(),
          "%s held %s revision %d with hash %s but %s held it with hash %s"
              .formatted(
                  o.client(),
                  key,
                  o.revision(),
                  o.contentHash(),
                  first.client(),
                  first.contentHash()));
    }
  }

  @Override
  public void finish(long endNanos, Violations violations) {
    List<Violation> found = new ArrayList<>();
    held.forEach(
        (key, revisions) ->
            revisions.forEach((revision, first) -> judge(key, revision, first, found)));
    found.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
    found.forEach(v -> violations.report(v.kind(), v.nanos(), v.who(), v.explanation()));
  }

  private void judge(DocumentKey key, long revision, FirstSeen first, List<Violation> found) {
    String acked = acknowledgements.hash(key, revision);
    if (acknowledgements.acknowledged(key, revision)
        && ContentHashes.conflict(first.contentHash(), acked)) {
      found.add(
          new Violation(
              ViolationKind.CONFLICTING_CONTENT,
              first.nanos(),
              first.client(),
              "%s adopted %s revision %d with hash %s but the acknowledged write made hash %s"
                  .formatted(first.client(), key, revision, first.contentHash(), acked)));
    } else if (!acknowledgements.acknowledged(key, revision)
        && !acknowledgements.indeterminate(key)) {
      found.add(
          new Violation(
              ViolationKind.UNVERIFIED_ADOPTED,
              first.nanos(),
              first.client(),
              "%s adopted %s revision %d (hash %s), which no acknowledged write produced"
                  .formatted(first.client(), key, revision, first.contentHash())));
    }
  }
}
