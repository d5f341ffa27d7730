package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;

/**
 * Makes the snapshots a tracker serves. The client passes one that shares its path cache across all
 * its snapshots; that constructor is not public, so the API package hands it in.
 */
@FunctionalInterface
public interface SnapshotFactory {

  ConfigSnapshot create(
      String namespace, long revision, String etag, JsonNode content, Freshness freshness);
}
