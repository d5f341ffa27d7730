package io.holdfast.server.snapshot;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.server.store.AdminCredential;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the read path serves, frozen at one store revision.
 *
 * <p>Design: replicas answer instance reads only from this object, never from the database, so a
 * database outage degrades writes but not reads. A new snapshot is built off to the side and
 * swapped in with one reference write ({@link SnapshotHolder}); readers never lock and never see a
 * half-built state. Immutable and thread-safe.
 *
 * @param revision the store revision this snapshot reflects
 * @param instancesByCredential instance id by the hash of its credential
 * @param adminsByCredential admin credential by the hash of its token, revoked and expired ones
 *     included: only {@link io.holdfast.server.auth.Authenticator} decides whether one still works
 * @param keyId the id of the signing key every document and checksums of this snapshot is signed
 *     with
 * @param validity the freshness statement every instance's checksums carry
 * @param keySetVersion the key set version every instance's checksums name; 0 for none
 */
public record EffectiveSnapshot(
    long revision,
    Instant builtAt,
    Map<String, InstanceView> instances,
    Map<String, String> instancesByCredential,
    Map<String, AdminCredential> adminsByCredential,
    String keyId,
    Checksums.Validity validity,
    long keySetVersion) {

  /** The instance's view, or {@code null}. */
  public InstanceView instance(String id) {
    return instances.get(id);
  }
}
