package io.holdfast.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7396). Layers are merged with it: {@code default ← ring ← instance}.
 *
 * <p>Never mutates its arguments: the result shares no mutable node with the inputs. Stateless and
 * thread-safe.
 */
public final class MergePatch {

  private MergePatch() {}

  /**
   * Applies {@code patch} to {@code target} as RFC 7396 §2 defines: a non-object patch replaces the
   * target; {@code null} members remove; object members merge recursively.
   *
   * @param target the document to patch; {@code null} stands for an absent document
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }
}
