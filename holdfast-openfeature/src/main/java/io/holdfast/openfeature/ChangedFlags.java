package io.holdfast.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The flag keys whose values differ between two documents: every path, at every depth, whose value
 * was added, removed or changed, so that whichever key an application evaluates ({@code "checkout"}
 * or {@code "checkout.newFlow"}) is listed. Paths are dotted; a path through a member name
 * containing a dot or a slash is given as a JSON Pointer instead, as flag keys are.
 */
final class ChangedFlags {

  private ChangedFlags() {}

  /**
   * @param previous the document before, or {@code null} if there was none
   */
  static List<String> between(JsonNode previous, JsonNode current) {
    Set<String> changed = new LinkedHashSet<>();
    diff(
        previous == null ? MissingNode.getInstance() : previous,
        current,
        new ArrayList<>(),
        changed);
    return List.copyOf(changed);
  }

  private static void diff(JsonNode before, JsonNode after, List<String> path, Set<String> out) {
    if (before.equals(after)) {
      return;
    }
    if (!path.isEmpty()) {
      out.add(key(path));
    }
    if (!before.isObject() && !after.isObject()) {
      return;
    }
    Set<String> names = new LinkedHashSet<>();
    before.fieldNames().forEachRemaining(names::add);
    after.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      path.add(name);
      diff(before.path(name), after.path(name), path, out);
      path.remove(path.size() - 1);
    }
  }

  private static String key(List<String> path) {
    boolean pointer = path.stream().anyMatch(name -> name.contains(".") || name.contains("/"));
    if (!pointer) {
      return String.join(".", path);
    }
    StringBuilder key = new StringBuilder();
    for (Iterator<String> names = path.iterator(); names.hasNext(); ) {
      key.append('/').append(names.next().replace("~", "~0").replace("/", "~1"));
    }
    return key.toString();
  }
}
