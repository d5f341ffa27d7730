package io.holdfast.cli.soak.history;

import io.holdfast.client.seats.SubscriptionChecker;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the admin API acknowledged so far: each document's acknowledged revisions with their content
 * hashes, and the documents with a write of unknown outcome. The {@link HistoryChecker} updates it
 * with each event before the checks see that event.
 */
final class Acknowledgements {

  // A null hash: acknowledged, content hash unknown (a subscription change).
  private final Map<DocumentKey, NavigableMap<Long, String>> revisions = new HashMap<>();
  private final Set<DocumentKey> indeterminate = new HashSet<>();

  void accept(SoakEvent event, Violations violations) {
    switch (event) {
      case Published p -> acknowledge(p, violations);
      case PublishIndeterminate p ->
          indeterminate.add(new DocumentKey(p.instance(), p.namespace()));
      case SubscriptionChanged s -> {
        DocumentKey key = new DocumentKey(s.instance(), SubscriptionChecker.NAMESPACE);
        if (s.revision() == null) {
          indeterminate.add(key);
        } else {
          revisions.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(s.revision(), null);
        }
      }
      default -> {}
    }
  }

  private void acknowledge(Published p, Violations violations) {
    DocumentKey key = new DocumentKey(p.instance(), p.namespace());
    NavigableMap<Long, String> acked = revisions.computeIfAbsent(key, k -> new TreeMap<>());
    String earlier = acked.get(p.revision());
    if (earlier != null && p.contentHash() != null && !earlier.equals(p.contentHash())) {
      violations.report(
          ViolationKind.CONFLICTING_CONTENT,
          p.nanos(),
          p.publisher(),
          "the admin API acknowledged "
              + key
              + " revision "
              + p.revision()
              + " with hash "
              + p.contentHash()
              + " after acknowledging it with hash "
              + earlier);
      return;
    }
    if (earlier == null) {
      acked.put(p.revision(), p.contentHash());
    }
  }

  /** Every document with an acknowledged revision. */
  Set<DocumentKey> documents() {
    return revisions.keySet();
  }

  boolean acknowledged(DocumentKey key, long revision) {
    NavigableMap<Long, String> acked = revisions.get(key);
    return acked != null && acked.containsKey(revision);
  }

  /**
   * The acknowledged content hash of a revision, or {@code null} if unknown or not acknowledged.
   */
  String hash(DocumentKey key, long revision) {
    NavigableMap<Long, String> acked = revisions.get(key);
    return acked == null ? null : acked.get(revision);
  }

  /** The newest acknowledged revision of the document, or 0 if none. */
  long newest(DocumentKey key) {
    NavigableMap<Long, String> acked = revisions.get(key);
    return acked == null || acked.isEmpty() ? 0 : acked.lastKey();
  }

  /** Whether a write of unknown outcome may have produced revisions of the document. */
  boolean indeterminate(DocumentKey key) {
    return indeterminate.contains(Objects.requireNonNull(key, "key"));
  }
}
