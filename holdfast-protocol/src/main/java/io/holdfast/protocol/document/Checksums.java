package io.holdfast.protocol.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cheap "has anything changed" document: for one instance, every namespace's revision, ETag and
 * digest. Signed like any envelope, so it cannot be forged by a cache or proxy. Immutable.
 *
 * <p>It is also the instance's freshness statement, as TUF's timestamp role is: {@link #validity()}
 * says until when a client may treat it (and every document it lists) as current, however many
 * {@code 304}s it gets afterwards (the freeze attack, FAULTS D11); and {@link #keySetVersion()}
 * names the newest root-signed key set, so a published revocation reaches watching clients with the
 * next checksums. Both are optional on the wire: replicas before they existed sent neither, and a
 * client reads such checksums as it always did.
 *
 * @param validity when the statement was issued and when it expires; empty from older replicas
 * @param keySetVersion the version of the newest key set the replica serves; 0 when it serves none
 */
public record Checksums(
    String instance,
    long revision,
    SortedMap<String, Entry> namespaces,
    Optional<Validity> validity,
    long keySetVersion) {

  /** The value of the {@code format} member. */
  public static final String FORMAT = "holdfast-checksums-1";

  /** One namespace's validators. */
  public record Entry(long revision, String etag, String digest) {
    public Entry {
      Objects.requireNonNull(etag, "etag");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /**
   * The window in which the statement holds: from {@code issuedAt} (inclusive) to {@code expires}
   * (exclusive).
   */
  public record Validity(Instant issuedAt, Instant expires) {
    public Validity {
      Objects.requireNonNull(issuedAt, "issuedAt");
      Objects.requireNonNull(expires, "expires");
      if (!expires.isAfter(issuedAt)) {
        throw new IllegalArgumentException(
            "expires " + expires + " is not after issuedAt " + issuedAt);
      }
    }

    /** Whether the statement no longer holds at {@code now}. */
    public boolean expiredAt(Instant now) {
      return !now.isBefore(expires);
    }
  }

  public Checksums {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(validity, "validity");
    namespaces = Collections.unmodifiableSortedMap(new TreeMap<>(namespaces));
    if (keySetVersion < 0) {
      throw new IllegalArgumentException("keySetVersion must be 0 or more, was " + keySetVersion);
    }
  }

  /** Checksums without a freshness statement or key set, as replicas sent before either existed. */
  public Checksums(String instance, long revision, SortedMap<String, Entry> namespaces) {
    this(instance, revision, namespaces, Optional.empty(), 0);
  }

  /** Canonical bytes, as sent, hashed and signed. */
  public byte[] toBytes() {
    // Written member by member in canonical order, not as a tree: see CanonicalJson.written.
    // ChecksumsTest holds these bytes to the tree's.
    return CanonicalJson.written(
        gen -> {
          gen.writeStartObject();
          if (validity.isPresent()) {
            gen.writeStringField("expires", validity.get().expires().toString());
          }
          gen.writeStringField("format", FORMAT);
          gen.writeStringField("instance", instance);
          if (validity.isPresent()) {
            gen.writeStringField("issuedAt", validity.get().issuedAt().toString());
          }
          if (keySetVersion > 0) {
            gen.writeNumberField("keySetVersion", keySetVersion);
          }
          gen.writeObjectFieldStart("namespaces");
          for (Map.Entry<String, Entry> e : namespaces.entrySet()) {
            gen.writeObjectFieldStart(e.getKey());
            gen.writeStringField("digest", e.getValue().digest());
            gen.writeStringField("etag", e.getValue().etag());
            gen.writeNumberField("revision", e.getValue().revision());
            gen.writeEndObject();
          }
          gen.writeEndObject();
          gen.writeNumberField("revision", revision);
          gen.writeEndObject();
        });
  }

  /**
   * Parses checksum bytes received from the network.
   *
   * @throws JsonInputException if the bytes are not a well-formed checksums document
   */
  public static Checksums parse(byte[] bytes, StrictJson json) throws JsonInputException {
    JsonNode node = json.parse(bytes);
    if (!node.isObject() || !FORMAT.equals(node.path("format").asText(null))) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "not a " + FORMAT + " document");
    }
    JsonNode instance = node.get("instance");
    JsonNode revision = node.get("revision");
    JsonNode entries = node.get("namespaces");
    if (instance == null
        || !instance.isTextual()
        || !isRevision(revision)
        || entries == null
        || !entries.isObject()) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED, "checksums need instance, revision and namespaces");
    }
    SortedMap<String, Entry> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : entries.properties()) {
      JsonNode v = e.getValue();
      if (!isRevision(v.get("revision"))
          || !v.path("etag").isTextual()
          || !v.path("digest").isTextual()) {
        throw new JsonInputException(
            JsonInputException.Kind.MALFORMED, "checksum entry " + e.getKey() + " is incomplete");
      }
      map.put(
          e.getKey(),
          new Entry(v.get("revision").asLong(), v.get("etag").asText(), v.get("digest").asText()));
    }
    long keySetVersion = 0;
    if (node.has("keySetVersion")) {
      if (!isRevision(node.get("keySetVersion"))) {
        throw new JsonInputException(
            JsonInputException.Kind.MALFORMED, "checksums keySetVersion is not a whole number");
      }
      keySetVersion = node.get("keySetVersion").asLong();
    }
    return new Checksums(instance.asText(), revision.asLong(), map, validity(node), keySetVersion);
  }

  /** Both members or neither: a statement with only one end would be read as never expiring. */
  private static Optional<Validity> validity(JsonNode node) throws JsonInputException {
    if (!node.has("issuedAt") && !node.has("expires")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Validity(
              Instant.parse(node.path("issuedAt").asText("")),
              Instant.parse(node.path("expires").asText(""))));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new JsonInputException(
          JsonInputException.Kind.MALFORMED,
          "checksums issuedAt and expires must both be RFC 3339 instants, expires after issuedAt");
    }
  }

  /** Revisions are whole, positive numbers; Jackson would otherwise truncate 2.9 to 2. */
  private static boolean isRevision(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 1;
  }
}
