package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.WindowSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code changeWindow} member of a ring's or an instance's {@code PATCH}, in either of the
 * model's two forms: the text ({@code "Mon-Fri 19:00-07:00 in Europe/London"}) or the object
 * ({@code {"zone": "Europe/London", "open": ["Mon-Fri 19:00-07:00"]}}); {@code null} removes the
 * window. Answers always show the canonical text. Stateless.
 */
final class ChangeWindowMember {

  static final String NAME = "changeWindow";

  private ChangeWindowMember() {}

  /**
   * The window the member describes; empty for {@code null}. Call only when the body has it.
   *
   * @throws io.holdfast.server.window.InvalidWindowException for a window the model refuses
   * @throws io.holdfast.server.problem.ProblemException {@code INVALID_REQUEST} for a member of
   *     another type, {@code UNKNOWN_FIELD} for an object with other members
   */
  static Optional<ChangeWindow> read(JsonObjectReader body) {
    JsonNode value = body.optionalNode(NAME);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isTextual()) {
      return WindowSettings.window(value.asText());
    }
    if (!value.isObject()) {
      throw JsonObjectReader.invalid(
          "member '"
              + body.pathOf(NAME)
              + "' must be a window's text, an object with 'zone' and 'open', or null");
    }
    JsonObjectReader window =
        JsonObjectReader.of((ObjectNode) value, Set.of("zone", "open"), body.pathOf(NAME));
    return Optional.of(ChangeWindow.of(window.optionalString("zone"), ranges(window)));
  }

  /** The {@code open} ranges' texts; {@code null} when absent, which the model refuses. */
  private static List<String> ranges(JsonObjectReader window) {
    JsonNode open = window.optionalNode("open");
    if (open == null || open.isNull()) {
      return null;
    }
    if (!open.isArray()) {
      throw JsonObjectReader.invalid(
          "member '" + window.pathOf("open") + "' must be an array of ranges' texts");
    }
    List<String> ranges = new ArrayList<>();
    for (JsonNode range : open) {
      if (!range.isTextual()) {
        throw JsonObjectReader.invalid(
            "member '" + window.pathOf("open") + "' must be an array of ranges' texts");
      }
      ranges.add(range.asText());
    }
    return ranges;
  }
}
