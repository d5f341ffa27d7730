package io.holdfast.agent.http;

import io.holdfast.protocol.problem.ProblemType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request's query, checked against the parameters its endpoint knows: an unknown or repeated
 * parameter is the client's mistake (400), never silently ignored.
 */
final class QueryParameters {

  private final Map<String, String> values;

  private QueryParameters(Map<String, String> values) {
    this.values = values;
  }

  static QueryParameters parse(String rawQuery, Set<String> known) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryParameters(values);
    }
    for (String pair : rawQuery.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (!known.contains(name)) {
        throw AgentProblem.of(
            ProblemType.INVALID_REQUEST,
            "unknown query parameter '" + name + "'; known: " + String.join(", ", known));
      }
      if (values.put(name, value) != null) {
        throw AgentProblem.of(ProblemType.INVALID_REQUEST, "query parameter '" + name + "' twice");
      }
    }
    return new QueryParameters(values);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw AgentProblem.of(ProblemType.INVALID_REQUEST, "malformed percent-encoding in the query");
    }
  }

  /** The value, or {@code null} when absent. */
  String get(String name) {
    return values.get(name);
  }
}
