package io.holdfast.protocol.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * A parser for untrusted JSON with explicit limits: total size, nesting depth, and no duplicate
 * member names (which different parsers resolve differently, so they could make a signed document
 * mean two things).
 *
 * <p>Thread-safe once built; build one per limit set and share it.
 */
public final class StrictJson {

  private final int maxBytes;
  private final int maxDepth;
  private final ObjectMapper mapper;

  /**
   * @param maxBytes the largest accepted input, in bytes
   * @param maxDepth the deepest accepted nesting of arrays and objects
   */
  public StrictJson(int maxBytes, int maxDepth) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("maxDepth must be positive, was " + maxDepth);
    }
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    JsonFactory factory =
        SharedJsonBuffers.factoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
  }

  public int maxBytes() {
    return maxBytes;
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** The mapper behind this parser, configured with the same limits. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Parses a complete JSON text into a tree. */
  public JsonNode parse(byte[] input) throws JsonInputException {
    checkSize(input);
    rejectByteOrderMark(input);
    JsonNode node;
    try {
      node = mapper.readTree(input);
    } catch (IOException e) {
      throw classify(e);
    }
    if (node == null || node.isMissingNode()) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "the body is empty; a JSON value is required");
    }
    rejectUnrepresentable(node, "");
    return node;
  }

  /** RFC 8259 §8.1: JSON text must not begin with a byte order mark. */
  private static void rejectByteOrderMark(byte[] input) throws JsonInputException {
    if (input.length >= 3
        && (input[0] & 0xFF) == 0xEF
        && (input[1] & 0xFF) == 0xBB
        && (input[2] & 0xFF) == 0xBF) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "the body starts with a byte order mark");
    }
  }

  /**
   * Rejects values that parse but cannot be represented faithfully:
   *
   * <ul>
   *   <li>an escaped lone surrogate ({@code "\\ud800"}) is not Unicode text (I-JSON, RFC 7493 §2.1)
   *       and would not survive a round trip through UTF-8, so the same logical document could hash
   *       differently in different places (FAULTS C9);
   *   <li>a number such as {@code 1e1000000000} parses to an infinite double, which would be
   *       written back as the string {@code "Infinity"}: a number would silently change type
   *       (FAULTS C6).
   * </ul>
   */
  private static void rejectUnrepresentable(JsonNode node, String path) throws JsonInputException {
    if (node.isTextual()) {
      requireWellFormed(node.textValue(), path);
    } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED,
          "the number at '" + abbreviate(path.isEmpty() ? "/" : path) + "' is out of range");
    } else if (node.isObject()) {
      for (java.util.Map.Entry<String, JsonNode> member : node.properties()) {
        requireWellFormed(member.getKey(), path + "/" + member.getKey());
        rejectUnrepresentable(member.getValue(), path + "/" + member.getKey());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectUnrepresentable(node.get(i), path + "/" + i);
      }
    }
  }

  private static void requireWellFormed(String text, String path) throws JsonInputException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new JsonInputException(
            JsonInputException.Kind.MALFORMED,
            "a string at '"
                + abbreviate(path.isEmpty() ? "/" : path)
                + "' holds a lone surrogate, which is not Unicode text");
      }
    }
  }

  /** Parses a complete JSON text into the given type; unknown members are rejected. */
  public <T> T parse(byte[] input, Class<T> type) throws JsonInputException {
    checkSize(input);
    if (input.length == 0) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "the body is empty; a JSON object is required");
    }
    try {
      T value = mapper.readValue(input, type);
      if (value == null) {
        throw new JsonInputException(
            JsonInputException.Kind.MALFORMED, "a JSON object is required, not null");
      }
      return value;
    } catch (IOException e) {
      throw classify(e);
    }
  }

  private void checkSize(byte[] input) throws JsonInputException {
    if (input.length > maxBytes) {
      throw new JsonInputException(
          JsonInputException.Kind.TOO_LARGE,
          "the body is " + input.length + " bytes; the limit is " + maxBytes);
    }
  }

  private JsonInputException classify(IOException e) {
    // Data binding wraps a parser failure met inside a property value (a duplicate member or a
    // nesting violation deeper down) in a JsonMappingException: classify by the parser's own.
    Throwable cause = e;
    while (cause.getCause() instanceof JacksonException inner) {
      cause = inner;
    }
    String message =
        cause instanceof JacksonException j && j.getOriginalMessage() != null
            ? j.getOriginalMessage()
            : String.valueOf(cause.getMessage());
    // Only the nesting constraint means TOO_DEEP; Jackson's other stream constraints (number,
    // name and string length) are reported as MALFORMED with their own message.
    if (cause instanceof StreamConstraintsException && message.contains("nesting depth")) {
      return new JsonInputException(
          JsonInputException.Kind.TOO_DEEP,
          "the document nests deeper than the limit of " + maxDepth);
    }
    if (cause instanceof StreamConstraintsException) {
      return new JsonInputException(
          JsonInputException.Kind.MALFORMED, constraint(message) + where(cause));
    }
    // Jackson reports duplicates only through the message of a StreamReadException.
    if (cause instanceof StreamReadException && message.startsWith("Duplicate field")) {
      return new JsonInputException(
          JsonInputException.Kind.DUPLICATE_KEY, withoutJavaNames(firstLine(message)));
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return new JsonInputException(
          JsonInputException.Kind.MALFORMED,
          "member '" + abbreviate(unknown.getPropertyName()) + "' is unknown here");
    }
    if (cause instanceof MismatchedInputException mismatch
        && !(cause instanceof StreamReadException)) {
      return new JsonInputException(
          JsonInputException.Kind.MALFORMED,
          "member '" + path(mismatch) + "' is missing, or of the wrong type");
    }
    return new JsonInputException(
        JsonInputException.Kind.MALFORMED, withoutJavaNames(firstLine(message)) + where(cause));
  }

  /**
   * Jackson's limit messages end in the name of the Java method that sets the limit: ours say which
   * limit.
   */
  private static String constraint(String message) {
    String limit = message.replaceAll("(?s).*maximum allowed \\((\\d+).*", "$1");
    boolean known = !limit.equals(message);
    if (message.startsWith("String value length")) {
      return "a string is longer than " + (known ? limit + " characters" : "the limit");
    }
    if (message.startsWith("Name length")) {
      return "a member name is longer than " + (known ? limit + " characters" : "the limit");
    }
    if (message.startsWith("Number value length")) {
      return "a number has more than " + (known ? limit + " digits" : "the limit of digits");
    }
    return "the document exceeds a limit of the parser";
  }

  private static String where(Throwable cause) {
    if (cause instanceof JacksonException j
        && j.getLocation() != null
        && j.getLocation().getLineNr() > 0) {
      return " (line "
          + j.getLocation().getLineNr()
          + ", column "
          + j.getLocation().getColumnNr()
          + ")";
    }
    return "";
  }

  private static String path(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(the body)" : abbreviate(path.toString());
  }

  /**
   * The message without names of Java types, features or methods (such as {@code
   * `java.lang.String`} or {@code StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION}), which tell a
   * client nothing and the attacker which library parses.
   */
  static String withoutJavaNames(String message) {
    String text = message.replaceAll(" ?\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)", "");
    text = text.replaceAll("`[^`]*`", "a value");
    text =
        text.replaceAll(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*(?:\\(\\))?",
            "a value");
    text = text.replaceAll("\\b[A-Z][a-z]+[A-Z][A-Za-z]*\\.[A-Z_]{3,}\\b", "a parser setting");
    return text;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  @Override
  public String toString() {
    return "StrictJson[maxBytes=" + maxBytes + ", maxDepth=" + maxDepth + "]";
  }
}
