package io.holdfast.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit row: SHA-256, in lower-case hex, over the canonical JSON of {@code
 * {"action","actor","after","at","before","prevHash","seq","target"}}, where {@code before} and
 * {@code after} are the canonical JSON texts as stored (or {@code null}) and {@code at} is the
 * ISO-8601 instant as stored. Hashing the stored text rather than a parsed value keeps the hash
 * independent of how a JSON library reads numbers back. Stateless.
 */
public final class AuditHash {

  /** The {@code prevHash} of the first row. */
  public static final String GENESIS = "0".repeat(64);

  private AuditHash() {}

  /** The hash of a row with these fields. */
  public static String of(
      long seq,
      Instant at,
      String actor,
      String action,
      String target,
      String beforeText,
      String afterText,
      String prevHash) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("seq", seq);
    row.put("at", at.toString());
    row.put("actor", actor);
    row.put("action", action);
    row.put("target", target);
    row.put("before", beforeText);
    row.put("after", afterText);
    row.put("prevHash", prevHash);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.toBytes(row));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The canonical text a JSON value is stored and hashed as; {@code null} stays {@code null}. */
  public static String text(JsonNode value) {
    return value == null ? null : new String(CanonicalJson.toBytes(value), StandardCharsets.UTF_8);
  }
}
