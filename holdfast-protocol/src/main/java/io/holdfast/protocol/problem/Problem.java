package io.holdfast.protocol.problem;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import java.util.Objects;

/**
 * An RFC 9457 problem: its type, a detail that says what exactly is wrong, and optionally the
 * request path it concerns. Immutable.
 */
public record Problem(ProblemType type, String detail, String instance) {

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  public Problem(ProblemType type, String detail) {
    this(type, detail, null);
  }

  /** The {@code application/problem+json} body. */
  public byte[] toBytes() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", type.uri());
    node.put("title", type.title());
    node.put("status", type.status());
    node.put("detail", detail);
    if (instance != null) {
      node.put("instance", instance);
    }
    return CanonicalJson.toBytes(node);
  }
}
