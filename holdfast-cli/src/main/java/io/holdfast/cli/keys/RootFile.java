package io.holdfast.cli.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code root.json}: the public half of a root, which operators hand to application teams to pin
 * and to {@code sign-keyset}. The protocol gives a root no document of its own, so this file uses
 * the members of the {@code root} object inside a key set, pretty-printed:
 *
 * <pre>{"keys": [{"keyId": "hf1-…", "publicKey": "<base64 X.509>"}, …], "threshold": 2}</pre>
 *
 * Read as strictly as a key set: no unknown or missing member, and each {@code keyId} must be the
 * id derived from its {@code publicKey}, so a file edited by hand cannot name one key and hold
 * another.
 */
final class RootFile {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private RootFile() {}

  static String toJson(RootKeys root) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode keys = node.putArray("keys");
    for (VerificationKey key : root.keys()) {
      keys.addObject().put("keyId", key.keyId()).put("publicKey", key.toBase64());
    }
    node.put("threshold", root.threshold());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  /** Writes a new {@code root.json}; an existing file is refused, never replaced. */
  static void create(Path path, RootKeys root) {
    try {
      Files.writeString(
          path,
          toJson(root),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(path + " exists; a root is never overwritten");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + path + ": " + e, e);
    }
  }

  /**
   * Reads the root at {@code path}.
   *
   * @throws IllegalArgumentException naming the file and the member that is wrong
   */
  static RootKeys read(Path path) {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the root file " + path + " does not exist");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the root file " + path + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the root file " + path + ": " + e, e);
    }
    String where = "the root file " + path;
    members(node, where, Set.of("keys", "threshold"));
    JsonNode keysNode = node.get("keys");
    if (!keysNode.isArray()) {
      throw new IllegalArgumentException(where + ": keys must be an array");
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (int i = 0; i < keysNode.size(); i++) {
      JsonNode entry = keysNode.get(i);
      String at = where + ": keys[" + i + "]";
      members(entry, at, Set.of("keyId", "publicKey"));
      if (!entry.get("keyId").isTextual() || !entry.get("publicKey").isTextual()) {
        throw new IllegalArgumentException(at + ": keyId and publicKey must be strings");
      }
      VerificationKey key;
      try {
        key = VerificationKey.fromBase64(entry.get("publicKey").textValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".publicKey: " + e.getMessage());
      }
      if (!key.keyId().equals(entry.get("keyId").textValue())) {
        throw new IllegalArgumentException(
            at
                + ".keyId is '"
                + entry.get("keyId").textValue()
                + "', but the public key's id is '"
                + key.keyId()
                + "'");
      }
      keys.add(key);
    }
    JsonNode threshold = node.get("threshold");
    if (!threshold.isIntegralNumber() || !threshold.canConvertToInt()) {
      throw new IllegalArgumentException(where + ": threshold must be a whole number");
    }
    try {
      return RootKeys.of(threshold.intValue(), keys);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static void members(JsonNode node, String where, Set<String> names) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    Set<String> present = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        throw new IllegalArgumentException(where + " has the unknown member '" + name + "'");
      }
      present.add(name);
    }
    for (String name : new TreeSet<>(names)) {
      if (!present.contains(name)) {
        throw new IllegalArgumentException(where + " lacks the member '" + name + "'");
      }
    }
  }
}
