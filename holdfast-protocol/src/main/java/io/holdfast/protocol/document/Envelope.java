package io.holdfast.protocol.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One namespace's effective document for one instance, as it travels on the wire.
 *
 * <p>The envelope names whom it is for (instance, namespace), which revision it is and when that
 * revision was published, so that a client can refuse a document meant for someone else or older
 * than the one it holds. {@link #toBytes()} is canonical: the same envelope always gives the same
 * bytes. Immutable; the content node must not be mutated after construction.
 */
public record Envelope(
    String instance, String namespace, long revision, Instant issuedAt, JsonNode content) {

  /** The value of the {@code format} member, bumped on any incompatible change. */
  public static final String FORMAT = "holdfast-envelope-1";

  public Envelope {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(content, "content");
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be at least 1, was " + revision);
    }
  }

  /** The canonical bytes that are sent, hashed and signed. */
  public byte[] toBytes() {
    return toBytes(instance, namespace, revision, issuedAt, CanonicalJson.toBytes(content));
  }

  /**
   * The bytes of {@link #toBytes()}, given the canonical bytes of the content ({@link
   * CanonicalJson#toBytes}): many instances of a ring share one effective content, and writing it
   * once for all of them is most of the cost of a fleet-wide rebuild. The content member sorts
   * first, so the bytes are the content between a fixed head and the other members.
   */
  public static byte[] toBytes(
      String instance, String namespace, long revision, Instant issuedAt, byte[] canonicalContent) {
    // The other members in canonical order, written straight out (CanonicalJson.written).
    byte[] tail =
        CanonicalJson.written(
            gen -> {
              gen.writeStartObject();
              gen.writeStringField("format", FORMAT);
              gen.writeStringField("instance", instance);
              gen.writeStringField("issuedAt", issuedAt.toString());
              gen.writeStringField("namespace", namespace);
              gen.writeNumberField("revision", revision);
              gen.writeEndObject();
            }); // {"format":…,"revision":N}
    byte[] out = new byte[CONTENT_HEAD.length + canonicalContent.length + tail.length];
    System.arraycopy(CONTENT_HEAD, 0, out, 0, CONTENT_HEAD.length);
    System.arraycopy(canonicalContent, 0, out, CONTENT_HEAD.length, canonicalContent.length);
    // The tail's opening brace becomes the comma after the content.
    System.arraycopy(tail, 0, out, CONTENT_HEAD.length + canonicalContent.length, tail.length);
    out[CONTENT_HEAD.length + canonicalContent.length] = ',';
    return out;
  }

  private static final byte[] CONTENT_HEAD =
      "{\"content\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Parses envelope bytes received from the network.
   *
   * @throws JsonInputException if the bytes are not a well-formed envelope within the limits
   */
  public static Envelope parse(byte[] bytes, StrictJson json) throws JsonInputException {
    JsonNode node = json.parse(bytes);
    if (!node.isObject()) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "an envelope must be a JSON object");
    }
    String format = text(node, "format");
    if (!FORMAT.equals(format)) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "unknown envelope format: " + format);
    }
    JsonNode revision = node.get("revision");
    if (revision == null
        || !revision.isIntegralNumber()
        || !revision.canConvertToLong()
        || revision.asLong() < 1) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "envelope revision must be a positive integer");
    }
    JsonNode content = node.get("content");
    if (content == null || !content.isObject()) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "envelope content must be a JSON object");
    }
    Instant issuedAt;
    try {
      issuedAt = Instant.parse(text(node, "issuedAt"));
    } catch (DateTimeParseException e) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "envelope issuedAt is not an RFC 3339 instant");
    }
    return new Envelope(
        text(node, "instance"), text(node, "namespace"), revision.asLong(), issuedAt, content);
  }

  private static String text(JsonNode node, String field) throws JsonInputException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "envelope member " + field + " must be a string");
    }
    return value.asText();
  }
}
