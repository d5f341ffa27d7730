package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.config.ServerConfigLoader;
import io.holdfast.server.problem.ProblemException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed access to a request object, with a precise error for every mistake: an unknown or read-only
 * member (so a client cannot mass-assign {@code credentialHash} or {@code role}), a missing member,
 * or a member of the wrong type. Not thread-safe; one per request.
 */
final class JsonObjectReader {

  /**
   * RFC 3339 §5.6 {@code date-time}: full date, T, full time with seconds, Z or a numeric offset.
   */
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private final ObjectNode node;

  /** Where {@code node} sits in the body, for messages: empty at the top, else ending in a dot. */
  private final String path;

  private JsonObjectReader(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * Wraps {@code node}, rejecting any member not in {@code allowed}.
   *
   * @throws ProblemException {@code UNKNOWN_FIELD} naming the first unknown member
   */
  static JsonObjectReader of(ObjectNode node, Set<String> allowed) {
    return of(node, allowed, "");
  }

  /**
   * Wraps {@code node}, found at {@code path} (such as {@code namespaces.core}) in the body,
   * rejecting any member not in {@code allowed}; messages name members by their full path.
   *
   * @throws ProblemException {@code UNKNOWN_FIELD} naming the first unknown member
   */
  static JsonObjectReader of(ObjectNode node, Set<String> allowed, String path) {
    String prefix = path.isEmpty() ? "" : path + ".";
    TreeSet<String> names = new TreeSet<>();
    node.properties().forEach(e -> names.add(e.getKey()));
    for (String name : names) {
      if (!allowed.contains(name)) {
        throw new ProblemException(
            ProblemType.UNKNOWN_FIELD,
            "member '"
                + Routes.abbreviate(prefix + name)
                + "' is unknown or read-only here; allowed: "
                + new TreeSet<>(allowed));
      }
    }
    return new JsonObjectReader(node, prefix);
  }

  String requiredString(String name) {
    String value = optionalString(name);
    if (value == null) {
      throw invalid("member '" + path + name + "' is required");
    }
    return value;
  }

  String optionalString(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("member '" + path + name + "' must be a string");
    }
    return value.asText();
  }

  /** A string of at most {@code maxLength} characters, or {@code null} if absent or null. */
  String optionalString(String name, int maxLength) {
    String value = optionalString(name);
    if (value != null && value.length() > maxLength) {
      throw invalid(
          "member '" + path + name + "' must be at most " + maxLength + " characters long");
    }
    return value;
  }

  /** A present, non-null string of at most {@code maxLength} characters. */
  String requiredString(String name, int maxLength) {
    requiredString(name);
    return optionalString(name, maxLength);
  }

  /** A present whole number that fits a {@code long} and is not negative. */
  long requiredNonNegativeLong(String name) {
    Long value = optionalNonNegativeLong(name);
    if (value == null) {
      throw invalid("member '" + path + name + "' is required");
    }
    return value;
  }

  /**
   * A whole number that fits a {@code long} and is not negative, or {@code null} if absent or null.
   */
  Long optionalNonNegativeLong(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw invalid(
          "member '" + path + name + "' must be a whole number from 0 to " + Long.MAX_VALUE);
    }
    return value.asLong();
  }

  /** Whether the member is present, even as {@code null}. */
  boolean has(String name) {
    return node.has(name);
  }

  /** A present RFC 3339 date-time string, such as {@code 2026-11-25T18:19:15.516Z}. */
  OffsetDateTime requiredTimestamp(String name) {
    requiredString(name);
    return optionalTimestamp(name);
  }

  /** An RFC 3339 date-time string, or {@code null} if absent or null. */
  OffsetDateTime optionalTimestamp(String name) {
    String value = optionalString(name, 64);
    if (value == null) {
      return null;
    }
    if (RFC_3339.matcher(value).matches()) {
      try {
        return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // Matches the shape but names no real time (month 13, 25 o'clock): reported below.
      }
    }
    throw invalid(
        "member '"
            + path
            + name
            + "' must be an RFC 3339 date-time such as 2026-11-25T18:19:15.516Z");
  }

  /** An object member, or {@code null} if absent or null. */
  ObjectNode optionalObject(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid("member '" + path + name + "' must be an object");
    }
    return (ObjectNode) value;
  }

  /** The full path of a member of this object, for messages. */
  String pathOf(String name) {
    return path + name;
  }

  Integer optionalInt(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid("member '" + path + name + "' must be a whole number");
    }
    return value.asInt();
  }

  Duration optionalDuration(String name) {
    String value = optionalString(name);
    if (value == null) {
      return null;
    }
    try {
      Duration duration = ServerConfigLoader.duration(name, value);
      if (duration.isNegative()) {
        throw invalid("member '" + path + name + "' must not be negative");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** A number from 0 to 1, or {@code null} if absent. */
  Double optionalRatio(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
      throw invalid("member '" + path + name + "' must be a number from 0 to 1");
    }
    return value.asDouble();
  }

  /** {@code true} or {@code false}, or {@code null} if absent or null; no string or number. */
  Boolean optionalBoolean(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw invalid("member '" + path + name + "' must be true or false");
    }
    return value.asBoolean();
  }

  Map<String, String> optionalStringMap(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid("member '" + path + name + "' must be an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (!e.getValue().isTextual()) {
        throw invalid(
            "member '" + path + name + "." + Routes.abbreviate(e.getKey()) + "' must be a string");
      }
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }

  JsonNode optionalNode(String name) {
    return node.get(name);
  }

  static ProblemException invalid(String message) {
    return new ProblemException(ProblemType.INVALID_REQUEST, message);
  }
}
