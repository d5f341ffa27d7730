package io.holdfast.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON document as flat property names, the form Spring's relaxed binding reads: members joined
 * with dots ({@code support.email}), array elements as {@code [i]} ({@code hosts[0]}). Numbers and
 * booleans keep their type; nulls, empty objects and empty arrays name nothing.
 */
final class FlatProperties {

  private FlatProperties() {}

  /**
   * @param prefix prepended with a dot to every name, or empty for none
   */
  static Map<String, Object> of(String prefix, JsonNode document) {
    Map<String, Object> flat = new LinkedHashMap<>();
    add(prefix, document, flat);
    return Map.copyOf(flat);
  }

  private static void add(String name, JsonNode node, Map<String, Object> flat) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        add(
            name.isEmpty() ? member.getKey() : name + "." + member.getKey(),
            member.getValue(),
            flat);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        add(name + "[" + i + "]", node.get(i), flat);
      }
    } else if (node.isNumber()) {
      flat.put(name, node.numberValue());
    } else if (node.isBoolean()) {
      flat.put(name, node.booleanValue());
    } else if (!node.isNull() && !name.isEmpty()) {
      flat.put(name, node.asText());
    }
  }
}
