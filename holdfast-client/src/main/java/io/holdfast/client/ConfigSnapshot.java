package io.holdfast.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.internal.JsonPaths;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * One namespace's document as the client holds it, with its freshness. Immutable; reads never
 * block, never do I/O and never throw for a missing or mistyped value: they return the default.
 *
 * <p>Paths are dotted member names ({@code "support.email"}) or JSON Pointers ({@code
 * "/support/email"}) when a member name itself contains a dot.
 */
public final class ConfigSnapshot {

  private final String namespace;
  private final long revision;
  private final String etag;
  private final JsonNode content;
  private final Freshness freshness;
  private final JsonPaths paths;

  /**
   * A snapshot of a document held by something other than a client: the fixed documents of {@code
   * holdfast-testkit}'s {@code FixedConfig}, or an application's own test. The content is copied,
   * so the caller's tree may change afterwards.
   *
   * @param etag the document's entity tag, or {@code null} if it has none
   */
  public ConfigSnapshot(
      String namespace, long revision, String etag, JsonNode content, Freshness freshness) {
    this(
        namespace,
        revision,
        etag,
        Objects.requireNonNull(content, "content").deepCopy(),
        freshness,
        new JsonPaths());
  }

  /**
   * The client's own: its snapshots share one path cache, and their content is never handed out.
   */
  ConfigSnapshot(
      String namespace,
      long revision,
      String etag,
      JsonNode content,
      Freshness freshness,
      JsonPaths paths) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.revision = revision;
    this.etag = etag;
    this.content = Objects.requireNonNull(content, "content");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
    this.paths = Objects.requireNonNull(paths, "paths");
  }

  public String namespace() {
    return namespace;
  }

  /** The document's revision; 0 while INITIALIZING. */
  public long revision() {
    return revision;
  }

  /** The document's entity tag, or {@code null} while INITIALIZING. */
  public String etag() {
    return etag;
  }

  public Freshness freshness() {
    return freshness;
  }

  public Status status() {
    return freshness.status();
  }

  /** A copy of the whole document (the snapshot itself stays immutable). */
  public JsonNode content() {
    return content.deepCopy();
  }

  /** Whether the path names a non-null value. */
  public boolean has(String path) {
    JsonNode node = paths.resolve(content, path);
    return node != null && !node.isNull();
  }

  public String getString(String path, String defaultValue) {
    JsonNode node = paths.resolve(content, path);
    return node != null && node.isTextual() ? node.textValue() : defaultValue;
  }

  public long getLong(String path, long defaultValue) {
    JsonNode node = paths.resolve(content, path);
    return node != null && node.isIntegralNumber() && node.canConvertToLong()
        ? node.longValue()
        : defaultValue;
  }

  public int getInt(String path, int defaultValue) {
    JsonNode node = paths.resolve(content, path);
    return node != null && node.isIntegralNumber() && node.canConvertToInt()
        ? node.intValue()
        : defaultValue;
  }

  public double getDouble(String path, double defaultValue) {
    JsonNode node = paths.resolve(content, path);
    return node != null && node.isNumber() ? node.doubleValue() : defaultValue;
  }

  public boolean getBoolean(String path, boolean defaultValue) {
    JsonNode node = paths.resolve(content, path);
    return node != null && node.isBoolean() ? node.booleanValue() : defaultValue;
  }

  /** An ISO-8601 duration ({@code "PT30S"}) or a number of milliseconds. */
  public Duration getDuration(String path, Duration defaultValue) {
    JsonNode node = paths.resolve(content, path);
    if (node == null) {
      return defaultValue;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Duration.ofMillis(node.longValue());
    }
    if (node.isTextual()) {
      try {
        return Duration.parse(node.textValue());
      } catch (DateTimeParseException e) {
        return defaultValue;
      }
    }
    return defaultValue;
  }

  /** A copy of the object or array at the path. */
  public Optional<JsonNode> getNode(String path) {
    JsonNode node = paths.resolve(content, path);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.deepCopy());
  }

  @Override
  public String toString() {
    return "ConfigSnapshot[" + namespace + " r" + revision + " " + freshness.status() + "]";
  }
}
