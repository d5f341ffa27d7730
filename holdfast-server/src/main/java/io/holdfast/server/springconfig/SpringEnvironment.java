package io.holdfast.server.springconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.FlatProperties;
import io.holdfast.protocol.json.SharedJsonBuffers;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The answer to one Spring Cloud Config request: one property source per selected namespace, in
 * precedence order (the first wins, as in Spring's {@code Environment}), and its renderings.
 *
 * @param version the revisions served, {@code namespace@revision} joined with commas
 */
public record SpringEnvironment(SpringConfigRequest request, List<Source> sources, String version) {

  private static final ObjectMapper JSON = SharedJsonBuffers.mapper();

  /**
   * One namespace's effective document, flattened.
   *
   * @param name {@code holdfast:<instance>/<namespace>@<revision>}
   * @param content the document as served, nested
   */
  public record Source(String name, JsonNode content, Map<String, JsonNode> properties) {}

  /** One namespace's document, as selected for the instance. */
  public record Selected(String namespace, long revision, JsonNode content) {}

  /** The environment of {@code instance} from its {@code selected} documents, in that order. */
  public static SpringEnvironment of(
      SpringConfigRequest request, String instance, List<Selected> selected) {
    StringJoiner version = new StringJoiner(",");
    List<Source> sources =
        selected.stream()
            .map(
                s ->
                    new Source(
                        "holdfast:" + instance + "/" + s.namespace() + "@" + s.revision(),
                        s.content(),
                        FlatProperties.of(s.content())))
            .toList();
    selected.forEach(s -> version.add(s.namespace() + "@" + s.revision()));
    return new SpringEnvironment(request, sources, version.toString());
  }

  /** The response body in the request's format. */
  public byte[] render() {
    return switch (request.format()) {
      case ENVIRONMENT -> write(environmentJson());
      case JSON -> write(mergedTree());
      case YAML -> YamlText.of(mergedTree()).getBytes(StandardCharsets.UTF_8);
      case PROPERTIES -> PropertiesText.of(mergedProperties()).getBytes(StandardCharsets.UTF_8);
    };
  }

  /** Spring Cloud Config's {@code Environment}. */
  ObjectNode environmentJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("name", request.application());
    ArrayNode profiles = out.putArray("profiles");
    request.profiles().forEach(profiles::add);
    out.put("label", request.label());
    out.put("version", version);
    out.putNull("state");
    ArrayNode list = out.putArray("propertySources");
    for (Source source : sources) {
      ObjectNode entry = list.addObject();
      entry.put("name", source.name());
      ObjectNode properties = entry.putObject("source");
      source.properties().forEach(properties::set);
    }
    return out;
  }

  /** Every property once, the first source's value where several have it. */
  Map<String, JsonNode> mergedProperties() {
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    for (Source source : sources) {
      source.properties().forEach(merged::putIfAbsent);
    }
    return merged;
  }

  /**
   * The documents merged into one, for the file forms: objects merge member by member, and anywhere
   * else the first source's value wins.
   */
  ObjectNode mergedTree() {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    for (Source source : sources) {
      mergeInto(merged, source.content());
    }
    return merged;
  }

  private static void mergeInto(ObjectNode target, JsonNode source) {
    for (Map.Entry<String, JsonNode> field : source.properties()) {
      JsonNode present = target.get(field.getKey());
      if (present == null) {
        target.set(field.getKey(), field.getValue().deepCopy());
      } else if (present instanceof ObjectNode presentObject && field.getValue().isObject()) {
        mergeInto(presentObject, field.getValue());
      }
    }
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
