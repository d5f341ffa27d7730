package io.holdfast.protocol.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cheap "has anything changed" document: for one instance, every namespace's revision, ETag and
 * digest. Signed like any envelope, so it cannot be forged by a cache or proxy. Immutable.
 */
public record Checksums(String instance, long revision, SortedMap<String, Entry> namespaces) {

  /** The value of the {@code format} member. */
  public static final String FORMAT = "holdfast-checksums-1";

  /** One namespace's validators. */
  public record Entry(long revision, String etag, String digest) {
    public Entry {
      Objects.requireNonNull(etag, "etag");
      Objects.requireNonNull(digest, "digest");
    }
  }

  public Checksums {
    Objects.requireNonNull(instance, "instance");
    namespaces = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(namespaces));
  }

  /** Canonical bytes, as sent, hashed and signed. */
  public byte[] toBytes() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("instance", instance);
    node.put("revision", revision);
    ObjectNode entries = node.putObject("namespaces");
    for (Map.Entry<String, Entry> e : namespaces.entrySet()) {
      ObjectNode entry = entries.putObject(e.getKey());
      entry.put("revision", e.getValue().revision());
      entry.put("etag", e.getValue().etag());
      entry.put("digest", e.getValue().digest());
    }
    return CanonicalJson.toBytes(node);
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
    return new Checksums(instance.asText(), revision.asLong(), map);
  }

  /** Revisions are whole, positive numbers; Jackson would otherwise truncate 2.9 to 2. */
  private static boolean isRevision(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 1;
  }
}
