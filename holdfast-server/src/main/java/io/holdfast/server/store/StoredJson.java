package io.holdfast.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.json.SharedJsonBuffers;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as the tables store it: layer contents, change edits, schemas and labels are text columns.
 * Text that does not parse is a corrupt row, reported as the {@link SQLException} the store turns
 * into "unavailable". Stateless (the mapper is only read).
 */
public final class StoredJson {

  private static final ObjectMapper MAPPER = SharedJsonBuffers.mapper();
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private StoredJson() {}

  /** The stored text as JSON; {@code null} for a {@code NULL} column (a removed layer). */
  public static JsonNode parse(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored content is not JSON", e);
    }
  }

  static Map<String, String> labels(String text) throws SQLException {
    try {
      return Collections.unmodifiableMap(new TreeMap<>(MAPPER.readValue(text, LABELS)));
    } catch (JsonProcessingException e) {
      throw new SQLException("stored labels are not a JSON object", e);
    }
  }

  /** Labels as stored: sorted by key, so equal maps are equal text. */
  static String labelsText(Map<String, String> labels) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(labels));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }
}
