package io.holdfast.server.springconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Properties as the {@code .properties} form serves them: one {@code key: value} line each, escaped
 * as {@link java.util.Properties#load(java.io.Reader)} reads them back (so a value with a newline,
 * a leading space or a {@code #} survives), with every character outside printable ASCII as {@code
 * \\uXXXX} so the text means the same in any reader's charset.
 */
final class PropertiesText {

  private PropertiesText() {}

  static String of(Map<String, JsonNode> properties) {
    StringBuilder out = new StringBuilder();
    properties.forEach(
        (key, value) -> {
          escape(key, true, out);
          out.append(": ");
          escape(value.isTextual() ? value.textValue() : value.toString(), false, out);
          out.append('\n');
        });
    return out.toString();
  }

  private static void escape(String text, boolean key, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case ':', '=', '#', '!' -> out.append('\\').append(c);
        case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
