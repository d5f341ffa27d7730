package io.holdfast.server.snapshot;

import java.util.Map;

/**
 * What one instance may read: its effective document per namespace and its checksums document.
 * Immutable.
 */
public record InstanceView(String id, String ring, Map<String, ServedDocument> documents, ServedDocument checksums) {

  /** The namespace's document, or {@code null} if there is no such namespace. */
  public ServedDocument document(String namespace) {
    return documents.get(namespace);
  }
}
