package io.holdfast.server.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.model.Scope;
import java.time.Instant;

/**
 * An immutable published version of one layer. {@code content} is {@code null} when this version
 * removed the layer.
 */
public record LayerVersion(
    String namespace, Scope scope, long revision, JsonNode content, Instant publishedAt) {

  public boolean removed() {
    return content == null;
  }
}
