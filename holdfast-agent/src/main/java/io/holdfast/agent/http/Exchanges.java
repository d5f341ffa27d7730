package io.holdfast.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** What the agent's handlers do with an {@link HttpExchange}, each check throwing its problem. */
final class Exchanges {

  private Exchanges() {}

  static void requireMethod(HttpExchange exchange, String... allowed) {
    String method = exchange.getRequestMethod();
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    throw AgentProblem.of(
        ProblemType.METHOD_NOT_ALLOWED,
        printable(method) + " is not allowed here; allowed: " + String.join(", ", allowed));
  }

  /** Sends a JSON body; a HEAD request gets the headers alone. */
  static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /**
   * The request's JSON object, of at most {@code json.maxBytes()} bytes: a declared length over it
   * is refused before anything is read, and a chunked body is read only up to the limit.
   */
  static JsonNode readJsonObject(HttpExchange exchange, StrictJson json) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw AgentProblem.of(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "send the body as Content-Type: application/json, not "
              + printable(String.valueOf(type)));
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw AgentProblem.of(ProblemType.INVALID_REQUEST, "Content-Length is not a number");
      }
      if (declared > json.maxBytes()) {
        throw tooLarge(json);
      }
    }
    byte[] body = readAtMost(exchange.getRequestBody(), json.maxBytes());
    if (body == null) {
      throw tooLarge(json);
    }
    try {
      JsonNode node = json.parse(body);
      if (!node.isObject()) {
        throw AgentProblem.of(ProblemType.INVALID_REQUEST, "the body must be a JSON object");
      }
      return node;
    } catch (JsonInputException e) {
      throw AgentProblem.of(ProblemType.MALFORMED_JSON, e.getMessage());
    }
  }

  private static AgentProblem tooLarge(StrictJson json) {
    return AgentProblem.of(
        ProblemType.DOCUMENT_TOO_LARGE, "the body is larger than " + json.maxBytes() + " bytes");
  }

  /** The stream's bytes, or {@code null} when it holds more than {@code max}. */
  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[Math.min(max + 1, 8192)];
    int read;
    while ((read = in.read(buffer)) > 0) {
      out.write(buffer, 0, read);
      if (out.size() > max) {
        return null;
      }
    }
    return out.toByteArray();
  }

  /**
   * Checks {@code Authorization: Bearer <token>} in constant time, so the comparison's duration
   * tells a local attacker nothing about the token.
   */
  static void requireBearer(HttpExchange exchange, byte[] token) {
    List<String> values = exchange.getRequestHeaders().get("Authorization");
    String value = values == null || values.size() != 1 ? null : values.get(0);
    if (value == null || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw AgentProblem.of(
          ProblemType.UNAUTHENTICATED,
          "seat requests need 'Authorization: Bearer <token>' with the agent's seat token");
    }
    byte[] given = value.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw AgentProblem.of(ProblemType.UNAUTHENTICATED, "the seat token is not this agent's");
    }
  }

  /** At most 100 characters of client text, control characters replaced, for a problem detail. */
  static String printable(String text) {
    String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    char[] chars = cut.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (Character.isISOControl(chars[i])) {
        chars[i] = '?';
      }
    }
    return new String(chars);
  }
}
