package io.holdfast.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON document as Spring sees properties: nested objects become dotted keys ({@code
 * core.session.timeout}), array elements {@code key[i]}, in document order. Scalars keep their JSON
 * type. A {@code null}, an empty object and an empty array become the empty string under their key,
 * as Spring's YAML loader does, so that a key that exists in the document exists in the {@code
 * Environment}.
 *
 * <p>One definition for both ways a document reaches Spring: the replicas' Spring Cloud Config
 * endpoint and the Spring Boot starter. An application that moves from one to the other sees the
 * same names and values.
 */
public final class FlatProperties {

  private static final TextNode EMPTY = TextNode.valueOf("");

  private FlatProperties() {}

  /** The flattened properties of {@code document} (a JSON object), in document order. */
  public static Map<String, JsonNode> of(JsonNode document) {
    return of("", document);
  }

  /**
   * The flattened properties of {@code document}, each name after {@code prefix} and a dot (or
   * bare, when the prefix is empty), in document order.
   */
  public static Map<String, JsonNode> of(String prefix, JsonNode document) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    flatten(prefix, document, out);
    return Collections.unmodifiableMap(out);
  }

  /** A flattened value as Spring's property sources hold it: a number, a boolean or a string. */
  public static Object value(JsonNode scalar) {
    if (scalar.isNumber()) {
      return scalar.numberValue();
    }
    if (scalar.isBoolean()) {
      return scalar.booleanValue();
    }
    return scalar.asText();
  }

  private static void flatten(String key, JsonNode node, Map<String, JsonNode> out) {
    if (node.isObject() && !node.isEmpty()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        flatten(key.isEmpty() ? field.getKey() : key + "." + field.getKey(), field.getValue(), out);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(key + "[" + i + "]", node.get(i), out);
      }
    } else if (!key.isEmpty()) {
      out.put(key, node.isNull() || node.isContainerNode() ? EMPTY : node);
    }
  }
}
