package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.model.Scope;
import java.util.Objects;

/**
 * One layer edit of a change: the new content of a layer, or its removal ({@code content == null}).
 *
 * @param baseRevision the published version of the layer the edit was written against, 0 if the
 *     layer did not exist; {@code null} in a request means "whatever is published now"
 */
public record ChangeEdit(String namespace, Scope scope, JsonNode content, Long baseRevision) {

  public ChangeEdit {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(scope, "scope");
  }

  public boolean removes() {
    return content == null;
  }
}
