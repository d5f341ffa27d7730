package io.holdfast.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ProblemException;
import io.holdfast.server.config.ServerConfigLoader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to a request object, with a precise error for every mistake: an unknown or
 * read-only member (so a client cannot mass-assign {@code credentialHash} or {@code role}), a
 * missing member, or a member of the wrong type. Not thread-safe; one per request.
 */
final class JsonObjectReader {

  private final ObjectNode node;

  private JsonObjectReader(ObjectNode node) {
    this.node = node;
  }

  /**
   * Wraps {@code node}, rejecting any member not in {@code allowed}.
   *
   * @throws ProblemException {@code UNKNOWN_FIELD} naming the first unknown member
   */
  static JsonObjectReader of(ObjectNode node, Set<String> allowed) {
    TreeSet<String> names = new TreeSet<>();
    node.properties().forEach(e -> names.add(e.getKey()));
    for (String name : names) {
      if (!allowed.contains(name)) {
        throw new ProblemException(ProblemType.UNKNOWN_FIELD, "member '" + Routes.abbreviate(name)
            + "' is unknown or read-only here; allowed: " + new TreeSet<>(allowed));
      }
    }
    return new JsonObjectReader(node);
  }

  String requiredString(String name) {
    String value = optionalString(name);
    if (value == null) {
      throw invalid("member '" + name + "' is required");
    }
    return value;
  }

  String optionalString(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("member '" + name + "' must be a string");
    }
    return value.asText();
  }

  Integer optionalInt(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid("member '" + name + "' must be a whole number");
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
        throw invalid("member '" + name + "' must not be negative");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  Map<String, String> optionalStringMap(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid("member '" + name + "' must be an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (!e.getValue().isTextual()) {
        throw invalid("member '" + name + "." + Routes.abbreviate(e.getKey()) + "' must be a string");
      }
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }

  JsonNode optionalNode(String name) {
    return node.get(name);
  }

  private static ProblemException invalid(String message) {
    return new ProblemException(ProblemType.INVALID_REQUEST, message);
  }
}
