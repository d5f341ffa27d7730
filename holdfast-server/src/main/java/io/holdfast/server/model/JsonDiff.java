package io.holdfast.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The differences between two JSON documents, member by member, as JSON Pointer paths (RFC 6901)
 * with the value before and after. Arrays are compared as whole values: config arrays are usually
 * lists whose order matters, and an element-wise diff of them misleads reviewers. Stateless and
 * thread-safe.
 */
public final class JsonDiff {

  /**
   * One difference. {@code before} is {@code null} for an addition, {@code after} for a removal.
   */
  public record Change(String op, String path, JsonNode before, JsonNode after) {}

  private JsonDiff() {}

  /**
   * The changes that turn {@code before} into {@code after}; either may be {@code null} (absent).
   */
  public static List<Change> between(JsonNode before, JsonNode after) {
    List<Change> changes = new ArrayList<>();
    diff("", before, after, changes);
    return changes;
  }

  private static void diff(String path, JsonNode before, JsonNode after, List<Change> out) {
    if (before == null && after == null) {
      return;
    }
    if (before == null) {
      out.add(new Change("add", path, null, after));
    } else if (after == null) {
      out.add(new Change("remove", path, before, null));
    } else if (before.isObject() && after.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      for (Map.Entry<String, JsonNode> e : before.properties()) {
        names.add(e.getKey());
      }
      for (Map.Entry<String, JsonNode> e : after.properties()) {
        names.add(e.getKey());
      }
      for (String name : names) {
        diff(path + "/" + escape(name), before.get(name), after.get(name), out);
      }
    } else if (!before.equals(after)) {
      out.add(new Change("replace", path, before, after));
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
