package io.holdfast.openfeature;

import dev.openfeature.sdk.ImmutableMetadata;
import io.holdfast.client.ConfigSnapshot;

/** A snapshot and the flag metadata built from it, cached together. */
record SnapshotMetadata(ConfigSnapshot snapshot, ImmutableMetadata metadata) {

  static SnapshotMetadata of(ConfigSnapshot snapshot) {
    ImmutableMetadata.ImmutableMetadataBuilder builder =
        ImmutableMetadata.builder()
            .addString("namespace", snapshot.namespace())
            .addLong("revision", snapshot.revision())
            .addString("status", snapshot.status().name());
    if (snapshot.etag() != null) {
      builder.addString("etag", snapshot.etag());
    }
    return new SnapshotMetadata(snapshot, builder.build());
  }
}
