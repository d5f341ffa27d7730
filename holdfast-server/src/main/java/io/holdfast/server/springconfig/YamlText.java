package io.holdfast.server.springconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A JSON document as block YAML for the {@code .yml} form. Every key and every string is written as
 * a JSON string, which YAML reads as a double-quoted scalar: no value can turn into another type
 * ({@code "no"}, {@code "1e3"}) or break the structure, whatever it contains. Numbers, booleans and
 * {@code null} are written as YAML reads them back.
 */
final class YamlText {

  private YamlText() {}

  static String of(JsonNode document) {
    if (document.isEmpty()) {
      return "{}\n";
    }
    StringBuilder out = new StringBuilder();
    write(document, 0, out);
    return out.toString();
  }

  /** Writes the members or items of a non-empty container, one per line, at {@code indent}. */
  private static void write(JsonNode container, int indent, StringBuilder out) {
    if (container.isObject()) {
      for (Map.Entry<String, JsonNode> field : container.properties()) {
        out.append("  ".repeat(indent)).append(scalar(field.getKey())).append(':');
        value(field.getValue(), indent, out);
      }
    } else {
      for (JsonNode item : container) {
        out.append("  ".repeat(indent)).append('-');
        value(item, indent, out);
      }
    }
  }

  private static void value(JsonNode value, int indent, StringBuilder out) {
    if (value.isContainerNode() && !value.isEmpty()) {
      out.append('\n');
      write(value, indent + 1, out);
    } else {
      out.append(' ').append(inline(value)).append('\n');
    }
  }

  private static String inline(JsonNode value) {
    if (value.isObject()) {
      return "{}";
    }
    if (value.isArray()) {
      return "[]";
    }
    if (value.isTextual()) {
      return scalar(value.textValue());
    }
    return value.toString();
  }

  /** A JSON string literal, which is also a YAML double-quoted scalar. */
  private static String scalar(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }
}
