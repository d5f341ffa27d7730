package io.holdfast.server.console;

import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.edge.RequestBody;
import io.holdfast.server.problem.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A submitted console form ({@code application/x-www-form-urlencoded}), read within the same size
 * limit as API bodies. A field may appear once; a repeated one is refused rather than one of its
 * values silently chosen. Immutable once read.
 */
final class FormBody {

  private static final int MAX_FIELDS = 50;

  private final Map<String, String> fields;

  private FormBody(Map<String, String> fields) {
    this.fields = Map.copyOf(fields);
  }

  static FormBody read(ServerRequest req, int maxBytes) {
    boolean form =
        req.headers()
            .contentType()
            .map(HttpMediaType::mediaType)
            .map(t -> "application".equals(t.type()) && "x-www-form-urlencoded".equals(t.subtype()))
            .orElse(false);
    if (!form) {
      throw new ProblemException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the form as application/x-www-form-urlencoded");
    }
    byte[] bytes = RequestBody.readAtMost(req, maxBytes);
    if (bytes.length > maxBytes) {
      throw new ProblemException(
          ProblemType.DOCUMENT_TOO_LARGE, "the form is larger than " + maxBytes + " bytes");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  static FormBody parse(String encoded) {
    Map<String, String> fields = new HashMap<>();
    if (!encoded.isEmpty()) {
      String[] pairs = encoded.split("&", -1);
      if (pairs.length > MAX_FIELDS) {
        throw new ProblemException(
            ProblemType.INVALID_REQUEST, "the form has more than " + MAX_FIELDS + " fields");
      }
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (fields.put(name, value) != null) {
          throw new ProblemException(
              ProblemType.INVALID_REQUEST, "form field '" + abbreviate(name) + "' is sent twice");
        }
      }
    }
    return new FormBody(fields);
  }

  /** The field's value, or {@code null} if absent. */
  String optional(String name) {
    return fields.get(name);
  }

  /** The field's value, stripped, which must be 1 to {@code maxLength} characters. */
  String required(String name, String label, int maxLength) {
    String value = fields.getOrDefault(name, "").strip();
    if (value.isEmpty() || value.length() > maxLength) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, label + " must be 1 to " + maxLength + " characters");
    }
    return value;
  }

  /** A whole number field, or {@code null} if absent or empty. */
  Long optionalLong(String name) {
    String value = fields.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "form field '" + name + "' must be a whole number");
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST, "the form is not properly URL-encoded");
    }
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
