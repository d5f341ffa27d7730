package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves read paths against documents, caching each parsed path so that a repeated typed read
 * allocates nothing. The cache is bounded: past {@link #MAX_CACHED} distinct paths, further ones
 * are parsed on each call. One instance per client. Thread-safe.
 */
public final class JsonPaths {

  static final int MAX_CACHED = 4096;

  private final ConcurrentHashMap<String, String[]> parsed = new ConcurrentHashMap<>();

  /** The node at {@code path} in {@code root}, or {@code null}. */
  public JsonNode resolve(JsonNode root, String path) {
    if (path == null) {
      return null;
    }
    String[] segments = parsed.get(path);
    if (segments == null) {
      segments = parse(path);
      if (parsed.size() < MAX_CACHED) {
        parsed.putIfAbsent(path, segments);
      }
    }
    JsonNode node = root;
    for (String segment : segments) {
      if (node == null) {
        return null;
      }
      if (node.isArray()) {
        int index = index(segment);
        node = index < 0 ? null : node.get(index);
      } else {
        node = node.get(segment);
      }
    }
    return node;
  }

  static String[] parse(String path) {
    if (path.isEmpty()) {
      return new String[0];
    }
    if (path.charAt(0) == '/') {
      String[] raw = path.substring(1).split("/", -1);
      for (int i = 0; i < raw.length; i++) {
        raw[i] = raw[i].replace("~1", "/").replace("~0", "~");
      }
      return raw;
    }
    return path.split("\\.", -1);
  }

  private static int index(String segment) {
    if (segment.isEmpty() || segment.length() > 9) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
