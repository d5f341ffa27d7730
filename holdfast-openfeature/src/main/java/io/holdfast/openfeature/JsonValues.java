package io.holdfast.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON values as OpenFeature {@link Value}s. */
final class JsonValues {

  private JsonValues() {}

  static Value toValue(JsonNode node) {
    if (node.isObject()) {
      Map<String, Value> members = new LinkedHashMap<>();
      node.properties().forEach(member -> members.put(member.getKey(), toValue(member.getValue())));
      return new Value(new MutableStructure(members));
    }
    if (node.isArray()) {
      List<Value> elements = new ArrayList<>(node.size());
      node.forEach(element -> elements.add(toValue(element)));
      return new Value(elements);
    }
    if (node.isBoolean()) {
      return new Value(node.booleanValue());
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return new Value(node.intValue());
    }
    if (node.isNumber()) {
      return new Value(node.doubleValue());
    }
    if (node.isTextual()) {
      return new Value(node.textValue());
    }
    return new Value();
  }
}
