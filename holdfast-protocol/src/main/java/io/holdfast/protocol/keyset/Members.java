package io.holdfast.protocol.keyset;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.signature.VerificationKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object of a key set, read member by member with the member's path in every message. Key
 * sets decide which keys a client trusts, so an object must have exactly the members its format
 * names: an unknown one is refused rather than ignored, because a later format could give it a
 * meaning an older client would silently drop.
 */
final class Members {

  private final JsonNode node;
  private final String path;

  private Members(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * The object at {@code path} (empty for the whole document), which must hold every required
   * member and no unknown one.
   */
  static Members of(JsonNode node, String path, Set<String> required, Set<String> optional)
      throws JsonInputException {
    String what = path.isEmpty() ? "the key set" : path;
    if (node == null || !node.isObject()) {
      throw malformed(what + " must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      if (!required.contains(member.getKey()) && !optional.contains(member.getKey())) {
        throw malformed(what + " has the unknown member '" + abbreviate(member.getKey()) + "'");
      }
    }
    for (String name : required.stream().sorted().toList()) {
      if (!node.has(name)) {
        throw malformed(what + " lacks the member '" + name + "'");
      }
    }
    return new Members(node, path);
  }

  boolean has(String name) {
    return node.has(name);
  }

  JsonNode node(String name) {
    return node.get(name);
  }

  /** The path of a member, as messages name it: {@code signed.root.threshold}. */
  String where(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  String text(String name) throws JsonInputException {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      throw malformed(where(name) + " must be a string");
    }
    return value.textValue();
  }

  /** A whole number from {@code min} to {@link Long#MAX_VALUE}; Jackson would truncate 2.5. */
  long whole(String name, long min) throws JsonInputException {
    JsonNode value = node.get(name);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < min) {
      throw malformed(where(name) + " must be a whole number of at least " + min);
    }
    return value.longValue();
  }

  Instant instant(String name) throws JsonInputException {
    String text = text(name);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw malformed(
          where(name) + " must be an RFC 3339 UTC instant, was '" + abbreviate(text) + "'");
    }
  }

  byte[] base64(String name) throws JsonInputException {
    try {
      return Base64.getDecoder().decode(text(name));
    } catch (IllegalArgumentException e) {
      throw malformed(where(name) + " is not base64");
    }
  }

  /**
   * The public key in {@code publicKey} (base64 X.509), which must be Ed25519 and have the id
   * stated in {@code keyId}: the id is derived from the key, so a mismatch means the entry was
   * edited.
   */
  VerificationKey key() throws JsonInputException {
    String keyId = text("keyId");
    VerificationKey key;
    try {
      key = VerificationKey.fromBase64(text("publicKey"));
    } catch (IllegalArgumentException e) {
      throw malformed(where("publicKey") + " is not an Ed25519 public key in base64 X.509 form");
    }
    if (!key.keyId().equals(keyId)) {
      throw malformed(
          where("keyId")
              + " is '"
              + abbreviate(keyId)
              + "', but the public key's id is '"
              + key.keyId()
              + "'");
    }
    return key;
  }

  /** The elements of an array member, at most {@code max} of them. */
  List<JsonNode> array(String name, int max) throws JsonInputException {
    JsonNode value = node.get(name);
    if (value == null || !value.isArray()) {
      throw malformed(where(name) + " must be an array");
    }
    if (value.size() > max) {
      throw malformed(where(name) + " has " + value.size() + " elements; the limit is " + max);
    }
    List<JsonNode> elements = new ArrayList<>(value.size());
    value.forEach(elements::add);
    return elements;
  }

  /** The strings of an array member, at most {@code max} of them. */
  List<String> texts(String name, int max) throws JsonInputException {
    List<String> texts = new ArrayList<>();
    List<JsonNode> elements = array(name, max);
    for (int i = 0; i < elements.size(); i++) {
      if (!elements.get(i).isTextual()) {
        throw malformed(where(name) + "[" + i + "] must be a string");
      }
      texts.add(elements.get(i).textValue());
    }
    return texts;
  }

  static JsonInputException malformed(String message) {
    return new JsonInputException(JsonInputException.Kind.MALFORMED, message);
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
