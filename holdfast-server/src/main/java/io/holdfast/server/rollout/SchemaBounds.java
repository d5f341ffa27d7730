package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounds a namespace schema keeps so that checking a document against it is bounded in time and
 * stack, whatever the schema's author meant: at most {@link #MAX_BYTES}; no recursion (no reference
 * that leads, directly or through others, back into the subschema that holds it, which ends in a
 * StackOverflowError for {@code {"$ref":"#"}}); no expansion through references beyond {@link
 * #MAX_EXPANDED} subschemas (references that each use the next twice double per level); every
 * reference resolvable inside the schema; and regular expressions that compile and pass {@link
 * BoundedRegex}'s probes. Stateless.
 */
final class SchemaBounds {

  /** Largest schema, as canonical JSON; real configuration schemas are a few KiB. */
  static final int MAX_BYTES = 64 * 1024;

  /** Most subschemas one document node can meet once every reference is expanded. */
  static final long MAX_EXPANDED = 10_000;

  /** Most references in one schema. */
  static final int MAX_REFERENCES = 1_000;

  private static final Set<String> REFERENCE_KEYWORDS =
      Set.of("$ref", "$dynamicRef", "$recursiveRef");
  private static final Set<String> ANCHOR_KEYWORDS = Set.of("$anchor", "$dynamicAnchor");

  /** Keywords whose value maps names to subschemas; the names are not keywords. */
  private static final Set<String> SCHEMA_MAPS =
      Set.of(
          "properties",
          "patternProperties",
          "$defs",
          "definitions",
          "dependentSchemas",
          "dependencies");

  /** Keywords whose value is data, never a subschema. */
  private static final Set<String> DATA_KEYWORDS = Set.of("const", "enum", "default", "examples");

  /** A reference: in the subschema at {@code holder}, {@code keyword} names {@code target}. */
  private record Reference(String holder, String keyword, String target) {}

  private final JsonNode root;
  private final List<Reference> references = new ArrayList<>();
  private final Map<String, List<String>> anchors = new HashMap<>();
  private final Map<String, Integer> subschemas = new HashMap<>();
  private final List<String> patterns = new ArrayList<>();
  private final Map<String, Long> expanded = new HashMap<>();
  private final Set<String> expanding = new HashSet<>();

  private SchemaBounds(JsonNode root) {
    this.root = root;
  }

  /**
   * @throws ProblemException {@code INVALID_REQUEST} naming the first bound {@code schema} breaks
   */
  static void check(JsonNode schema) {
    int size = CanonicalJson.toBytes(schema).length;
    if (size > MAX_BYTES) {
      throw invalid("the JSON Schema is " + size + " bytes; the limit is " + MAX_BYTES);
    }
    SchemaBounds bounds = new SchemaBounds(schema);
    bounds.walk(schema, "");
    if (bounds.references.size() > MAX_REFERENCES) {
      throw invalid(
          "the JSON Schema has "
              + bounds.references.size()
              + " references; the limit is "
              + MAX_REFERENCES);
    }
    long total = bounds.expand("");
    if (total > MAX_EXPANDED) {
      throw invalid(
          "the JSON Schema expands to more than "
              + MAX_EXPANDED
              + " subschemas through its references; use each definition fewer times");
    }
    BoundedRegex.within(
        BoundedRegex.SCHEMA_PROBE_STEPS,
        () -> {
          for (String pattern : bounds.patterns) {
            String refusal;
            try {
              refusal = BoundedRegex.refusal(pattern);
            } catch (BoundedRegex.TooSlowException e) {
              throw invalid(
                  "the JSON Schema's regular expressions together need more than "
                      + BoundedRegex.SCHEMA_PROBE_STEPS
                      + " steps to probe; use fewer or simpler ones");
            }
            if (refusal != null) {
              throw invalid("the regular expression '" + abbreviate(pattern) + "' " + refusal);
            }
          }
          return null;
        });
  }

  /** Records the subschema at {@code pointer} and everything under it. Returns its node count. */
  private int walk(JsonNode schema, String pointer) {
    if (!schema.isObject()) {
      return 0;
    }
    int count = 1;
    for (Map.Entry<String, JsonNode> member : schema.properties()) {
      String key = member.getKey();
      JsonNode value = member.getValue();
      String at = pointer + "/" + escape(key);
      if (REFERENCE_KEYWORDS.contains(key) && value.isTextual()) {
        references.add(new Reference(pointer, key, value.asText()));
      } else if (ANCHOR_KEYWORDS.contains(key) && value.isTextual()) {
        anchors.computeIfAbsent(value.asText(), a -> new ArrayList<>()).add(pointer);
      } else if (key.equals("pattern") && value.isTextual()) {
        patterns.add(value.asText());
      } else if (DATA_KEYWORDS.contains(key)) {
        continue;
      } else if (SCHEMA_MAPS.contains(key) && value.isObject()) {
        if (key.equals("patternProperties")) {
          value.fieldNames().forEachRemaining(patterns::add);
        }
        for (Map.Entry<String, JsonNode> named : value.properties()) {
          count += walk(named.getValue(), at + "/" + escape(named.getKey()));
        }
      } else if (value.isObject()) {
        // Any other object is taken for a subschema (items, not, if, an unknown keyword):
        // counting too much can only refuse, never let recursion through.
        count += walk(value, at);
      } else if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          count += walk(value.get(i), at + "/" + i);
        }
      }
    }
    subschemas.put(pointer, count);
    return count;
  }

  /**
   * How many subschemas the one at {@code pointer} stands for with its references expanded. Stops
   * at the first cycle, and as soon as the count passes the limit.
   */
  private long expand(String pointer) {
    Long known = expanded.get(pointer);
    if (known != null) {
      return known;
    }
    expanding.add(pointer);
    long total = subschemas.getOrDefault(pointer, 1);
    for (Reference reference : references) {
      if (!within(reference.holder(), pointer)) {
        continue;
      }
      for (String target : targets(reference)) {
        if (expanding.contains(target)) {
          throw invalid(
              "'"
                  + abbreviate(reference.holder() + "/" + reference.keyword())
                  + "' refers to '"
                  + abbreviate(reference.target())
                  + "', which leads back to it: recursive schemas are not accepted,"
                  + " since checking a document against one has no bound of its own");
        }
        total += expand(target);
        if (total > MAX_EXPANDED) {
          expanding.remove(pointer);
          return total;
        }
      }
    }
    expanding.remove(pointer);
    expanded.put(pointer, total);
    return total;
  }

  /** The subschemas a reference may lead to; refuses one that leads nowhere. */
  private List<String> targets(Reference reference) {
    String text = reference.target();
    String fragment = text.startsWith("#") ? text.substring(1) : null;
    if (fragment != null && (fragment.isEmpty() || fragment.startsWith("/"))) {
      String decoded = percentDecode(fragment);
      String pointer = decoded == null ? null : resolvePointer(decoded);
      if (pointer != null) {
        return List.of(pointer);
      }
    } else if (fragment != null && anchors.containsKey(fragment)) {
      return anchors.get(fragment);
    }
    throw invalid(
        "'"
            + abbreviate(reference.holder() + "/" + reference.keyword())
            + "' refers to '"
            + abbreviate(text)
            + "', which is not in the schema");
  }

  /** The pointer to the subschema at JSON Pointer {@code pointer} (RFC 6901), or {@code null}. */
  private String resolvePointer(String pointer) {
    JsonNode node = root;
    StringBuilder resolved = new StringBuilder();
    if (pointer.isEmpty()) {
      return "";
    }
    for (String token : pointer.substring(1).split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (node.isObject()) {
        node = node.get(name);
      } else if (node.isArray() && name.matches("0|[1-9][0-9]{0,8}")) {
        node = node.get(Integer.parseInt(name));
      } else {
        node = null;
      }
      if (node == null) {
        return null;
      }
      resolved.append('/').append(escape(name));
    }
    return node.isObject() || node.isBoolean() ? resolved.toString() : null;
  }

  /**
   * Decodes {@code %XX} escapes (a fragment is URI-encoded), as UTF-8; {@code null} if malformed.
   */
  private static String percentDecode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether the subschema at {@code pointer} lies inside the one at {@code ancestor} (or is it).
   */
  private static boolean within(String pointer, String ancestor) {
    return pointer.equals(ancestor) || pointer.startsWith(ancestor + "/");
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemType.INVALID_REQUEST, detail);
  }
}
