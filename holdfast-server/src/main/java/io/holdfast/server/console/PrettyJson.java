package io.holdfast.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.holdfast.protocol.json.SharedJsonBuffers;

/** JSON indented for reading in a {@code <pre>} or editing in a text area. Thread-safe. */
final class PrettyJson {

  private static final ObjectWriter WRITER =
      SharedJsonBuffers.mapper().writerWithDefaultPrettyPrinter();

  private PrettyJson() {}

  /** The value indented, or {@code (none)} for an absent one. */
  static String of(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(none)";
    }
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }

  /** A {@code <pre>} block of the value. */
  static Html block(JsonNode value, String id) {
    return new Html().element("pre", of(value), "class", "json", "id", id);
  }
}
