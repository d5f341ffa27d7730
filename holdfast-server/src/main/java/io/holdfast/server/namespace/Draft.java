package io.holdfast.server.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.model.Scope;
import java.time.Instant;

/**
 * A staged, unpublished edit of one layer. {@code content} is {@code null} when the edit removes
 * the layer. {@code version} counts edits, for optimistic concurrency.
 */
public record Draft(
    String namespace,
    Scope scope,
    JsonNode content,
    long version,
    String updatedBy,
    Instant updatedAt) {}
