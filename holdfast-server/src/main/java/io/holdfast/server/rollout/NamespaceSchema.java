package io.holdfast.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace's JSON Schema (draft 2020-12 unless it names another draft), compiled once.
 *
 * <p>A schema may only refer inside itself ({@code "$ref": "#/$defs/..."}): the server never
 * fetches a schema from a URL an admin supplied. It keeps {@link SchemaBounds} (size, no recursion,
 * bounded expansion, probed regular expressions), so checking a document against it ends, quickly,
 * without a StackOverflowError. This class is the one place where the admin API, change requests,
 * dry runs, direct publishes and the console get a schema. Immutable and thread-safe.
 */
public final class NamespaceSchema {

  private static final Logger LOG = LoggerFactory.getLogger(NamespaceSchema.class);
  private static final int MAX_MESSAGES = 20;
  private static final Set<String> KNOWN_DIALECTS =
      Set.of(
          "https://json-schema.org/draft/2020-12/schema",
          "https://json-schema.org/draft/2019-09/schema",
          "http://json-schema.org/draft-07/schema#",
          "http://json-schema.org/draft-07/schema");
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          registry ->
              registry.schemaRegistryConfig(
                  SchemaRegistryConfig.builder()
                      .regularExpressionFactory(BoundedRegex.INSTANCE)
                      .build()));

  private final Schema schema;

  private NamespaceSchema(Schema schema) {
    this.schema = schema;
  }

  /**
   * Compiles {@code node} after checking it is an object, names a known draft if any, refers only
   * inside itself, and is itself valid against its draft's meta-schema.
   *
   * @throws ProblemException {@code INVALID_REQUEST} saying what is wrong
   */
  public static NamespaceSchema of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw invalid("a JSON Schema must be a JSON object");
    }
    JsonNode dialect = node.get("$schema");
    String metaSchema = "https://json-schema.org/draft/2020-12/schema";
    if (dialect != null) {
      if (!dialect.isTextual() || !KNOWN_DIALECTS.contains(dialect.asText())) {
        throw invalid("'$schema' must be one of " + KNOWN_DIALECTS + " or absent (draft 2020-12)");
      }
      metaSchema = dialect.asText();
    }
    checkReferences(node, "");
    SchemaBounds.check(node);
    Schema meta = REGISTRY.getSchema(SchemaLocation.of(metaSchema));
    List<String> problems;
    try {
      problems =
          BoundedRegex.within(BoundedRegex.VALIDATION_STEPS, () -> messages(meta.validate(node)));
    } catch (BoundedRegex.TooSlowException e) {
      throw invalid(
          "the JSON Schema cannot be checked against its draft within bounds; make its strings shorter");
    }
    if (!problems.isEmpty()) {
      throw invalid("not a valid JSON Schema: " + String.join("; ", problems));
    }
    try {
      return new NamespaceSchema(REGISTRY.getSchema(node));
    } catch (RuntimeException e) {
      // The validator's message may name its own classes; the log has it, the client gets ours.
      LOG.info("a JSON Schema that passed its meta-schema does not compile", e);
      throw invalid("the JSON Schema does not compile against its draft; check its keywords");
    }
  }

  /**
   * What is wrong with {@code document}, at most twenty messages; empty when it is valid. All its
   * pattern matching together has a budget ({@link BoundedRegex#VALIDATION_STEPS}); a document that
   * needs more cannot be shown valid, and says so, rather than hold its publish.
   */
  public List<String> violations(JsonNode document) {
    try {
      return BoundedRegex.within(
          BoundedRegex.VALIDATION_STEPS, () -> messages(schema.validate(document)));
    } catch (BoundedRegex.TooSlowException e) {
      String pattern =
          e.pattern().length() <= 120 ? e.pattern() : e.pattern().substring(0, 120) + "…";
      return List.of(
          "$: the regular expression '"
              + pattern
              + "' needs more than "
              + BoundedRegex.VALIDATION_STEPS
              + " steps on this document's values, so it cannot be shown to satisfy the schema");
    }
  }

  private static List<String> messages(List<Error> errors) {
    List<String> messages = new ArrayList<>();
    for (Error error : errors) {
      if (messages.size() == MAX_MESSAGES) {
        messages.add("… and " + (errors.size() - MAX_MESSAGES) + " more");
        break;
      }
      String where =
          error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
      messages.add((where.isEmpty() ? "$" : where) + ": " + error.getMessage());
    }
    return messages;
  }

  private static void checkReferences(JsonNode node, String path) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        String key = member.getKey();
        if ((key.equals("$ref") || key.equals("$dynamicRef") || key.equals("$recursiveRef"))
            && member.getValue().isTextual()
            && !member.getValue().asText().startsWith("#")) {
          throw invalid(
              "'"
                  + path
                  + "/"
                  + key
                  + "' refers outside the schema ("
                  + member.getValue().asText()
                  + "); only references inside it, starting with '#', are allowed");
        }
        if (key.equals("$id") && !path.isEmpty()) {
          throw invalid(
              "'"
                  + path
                  + "/$id' sets a nested base URI; keep one schema per namespace without nested $id");
        }
        checkReferences(member.getValue(), path + "/" + key);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkReferences(node.get(i), path + "/" + i);
      }
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemType.INVALID_REQUEST, detail);
  }
}
