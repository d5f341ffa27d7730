package io.holdfast.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators of JSON trees for property tests. Every generated tree is one that a parser could
 * produce from its own canonical text (ints as IntNode, longs beyond int range as LongNode, finite
 * doubles, no lone surrogates), so that parse(serialise(x)) can be compared with equals.
 */
public final class JsonArbitraries {

  private JsonArbitraries() {}

  /** Member names: mostly short ASCII, sometimes the characters that stress ordering. */
  public static Arbitrary<String> keys() {
    Arbitrary<String> ascii =
        Arbitraries.strings().withCharRange('a', 'f').ofMinLength(0).ofMaxLength(3);
    Arbitrary<String> tricky =
        Arbitraries.of(
            "",
            "A",
            "Z",
            "_",
            "a",
            "aa",
            "a b",
            "\u00e9",
            "\u20ac",
            "\uff61",
            "\ud83d\ude00",
            "\"",
            "\\",
            "\n",
            "10",
            "9",
            "\u0000",
            "\u007f");
    Arbitrary<String> unicode = Arbitraries.strings().withCharRange(' ', '\u07ff').ofMaxLength(4);
    return Arbitraries.<String>oneOf(List.of(ascii, ascii, tricky, unicode));
  }

  /** A scalar value; {@code withNull} decides whether JSON null may appear. */
  public static Arbitrary<JsonNode> scalar(boolean withNull) {
    List<Arbitrary<? extends JsonNode>> choices = new ArrayList<>();
    Arbitrary<String> plain =
        Arbitraries.strings().withCharRange('\u0000', '\u07ff').ofMaxLength(6);
    choices.add(
        Arbitraries.<String>oneOf(List.of(plain, plain.map(s -> s + "\ud83d\ude00")))
            .map(TextNode::valueOf));
    choices.add(Arbitraries.integers().map(IntNode::valueOf));
    choices.add(
        Arbitraries.longs().greaterOrEqual((long) Integer.MAX_VALUE + 1).map(LongNode::valueOf));
    choices.add(Arbitraries.doubles().filter(Double::isFinite).map(DoubleNode::valueOf));
    choices.add(Arbitraries.of(true, false).map(BooleanNode::valueOf));
    if (withNull) {
      choices.add(Arbitraries.just(NullNode.getInstance()));
    }
    return Arbitraries.<JsonNode>oneOf(choices);
  }

  /** Any JSON value up to {@code depth} levels of containers. */
  public static Arbitrary<JsonNode> value(int depth, boolean withNull) {
    if (depth <= 0) {
      return scalar(withNull);
    }
    return Arbitraries.<JsonNode>oneOf(
        List.of(
            scalar(withNull),
            scalar(withNull),
            object(depth - 1, withNull),
            array(depth - 1, withNull)));
  }

  /** A JSON object whose members nest up to {@code depth} further levels. */
  public static Arbitrary<ObjectNode> object(int depth, boolean withNull) {
    return Arbitraries.maps(keys(), value(depth, withNull))
        .ofMaxSize(5)
        .map(JsonArbitraries::toObject);
  }

  /** A JSON array whose elements nest up to {@code depth} further levels. */
  public static Arbitrary<ArrayNode> array(int depth, boolean withNull) {
    return value(depth, withNull)
        .list()
        .ofMaxSize(4)
        .map(
            elements -> {
              ArrayNode array = JsonNodeFactory.instance.arrayNode();
              elements.forEach(array::add);
              return array;
            });
  }

  /** Builds an object with the members inserted in the map's iteration order. */
  public static ObjectNode toObject(Map<String, ? extends JsonNode> members) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, ? extends JsonNode> e : members.entrySet()) {
      node.set(e.getKey(), e.getValue());
    }
    return node;
  }
}
