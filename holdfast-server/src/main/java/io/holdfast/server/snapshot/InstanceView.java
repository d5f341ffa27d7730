package io.holdfast.server.snapshot;

import java.util.Map;

/**
 * What one instance may read: its effective document per namespace and its checksums document, and
 * the hash of the credential it reads with. Immutable.
 */
public record InstanceView(
    String id,
    String ring,
    Map<String, ServedDocument> documents,
    ServedDocument checksums,
    String credentialHash) {

  /**
   * Whether a watcher of this instance must hear of the change from {@code before} to {@code after}
   * (either may be {@code null}: the instance did not exist): its checksums changed, or its
   * credential did (the watcher's may no longer be valid), or it came or went.
   */
  public static boolean changed(InstanceView before, InstanceView after) {
    if (before == null || after == null) {
      return before != after;
    }
    return !before.checksums().etag().equals(after.checksums().etag())
        || !before.credentialHash().equals(after.credentialHash());
  }

  /** The namespace's document, or {@code null} if there is no such namespace. */
  public ServedDocument document(String namespace) {
    return documents.get(namespace);
  }
}
