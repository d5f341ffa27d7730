package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static JsonNode read(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void membersAreSortedAndWhitespaceRemoved() throws Exception {
    JsonNode node = read("{ \"b\" : 1 ,\n \"a\" : [ true , null , \"x\" ] , \"c\" : { } }");

    assertThat(CanonicalJson.toText(node)).isEqualTo("{\"a\":[true,null,\"x\"],\"b\":1,\"c\":{}}");
  }

  @Test
  void nestedObjectsAreSortedAtEveryLevel() throws Exception {
    JsonNode node = read("{\"z\":{\"y\":{\"b\":1,\"a\":2},\"x\":[{\"d\":1,\"c\":2}]},\"a\":0}");

    assertThat(CanonicalJson.toText(node))
        .isEqualTo("{\"a\":0,\"z\":{\"x\":[{\"c\":2,\"d\":1}],\"y\":{\"a\":2,\"b\":1}}}");
  }

  @Test
  void arrayOrderIsPreserved() throws Exception {
    assertThat(CanonicalJson.toText(read("[3,1,2,\"b\",\"a\"]"))).isEqualTo("[3,1,2,\"b\",\"a\"]");
  }

  @Test
  void keyOrderIndependence_forHandBuiltObjects() {
    ObjectNode one = F.objectNode();
    one.put("beta", 2);
    one.put("alpha", "x");
    one.set("gamma", F.arrayNode().add(1).add(F.objectNode().put("q", 1).put("p", 2)));
    ObjectNode two = F.objectNode();
    two.set("gamma", F.arrayNode().add(1).add(F.objectNode().put("p", 2).put("q", 1)));
    two.put("alpha", "x");
    two.put("beta", 2);

    assertThat(CanonicalJson.toBytes(one)).isEqualTo(CanonicalJson.toBytes(two));
  }

  @Test
  void sortingIsByUtf16CodeUnits() throws Exception {
    // U+1F600 is encoded as the surrogate pair D83D DE00, which sorts before U+FF61 in UTF-16
    // order although its code point is larger; upper case sorts before lower case.
    ObjectNode node = F.objectNode();
    node.put("\uff61", 1);
    node.put("\ud83d\ude00", 2);
    node.put("a", 3);
    node.put("B", 4);
    node.put("", 5);
    node.put("\u00e9", 6);

    // Read the names back in output order (the writer may escape supplementary characters).
    JsonNode reparsed = read(CanonicalJson.toText(node));
    assertThat(reparsed.propertyStream().map(Map.Entry::getKey).toList())
        .containsExactly("", "B", "a", "\u00e9", "\ud83d\ude00", "\uff61");
    assertThat(reparsed).isEqualTo(node);
  }

  @Test
  void outputIsUtf8() {
    ObjectNode node = F.objectNode().put("k", "caf\u00e9 \u20ac");

    assertThat(CanonicalJson.toBytes(node))
        .isEqualTo("{\"k\":\"caf\u00e9 \u20ac\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void scalarsAtTopLevel_areWritten() {
    assertThat(CanonicalJson.toText(TextNode.valueOf("x"))).isEqualTo("\"x\"");
    assertThat(CanonicalJson.toText(NullNode.getInstance())).isEqualTo("null");
    assertThat(CanonicalJson.toText(F.numberNode(42))).isEqualTo("42");
    assertThat(CanonicalJson.toText(F.booleanNode(false))).isEqualTo("false");
  }

  @Test
  void controlCharactersAndQuotesAreEscaped() throws Exception {
    ObjectNode node = F.objectNode().put("a\"b", "line\nbreak\t\\");

    String text = CanonicalJson.toText(node);

    assertThat(text).isEqualTo("{\"a\\\"b\":\"line\\nbreak\\t\\\\\"}");
    assertThat(read(text)).isEqualTo(node);
  }

  @Test
  void toBytesDoesNotMutateTheInput() throws Exception {
    JsonNode node = read("{\"b\":1,\"a\":2}");

    CanonicalJson.toBytes(node);

    assertThat(node.propertyStream().map(Map.Entry::getKey).toList()).containsExactly("b", "a");
  }

  @Test
  void sameTextFromDifferentFormatting_givesIdenticalBytes() throws Exception {
    JsonNode compact = read("{\"a\":{\"c\":[1,2],\"b\":\"x\"},\"d\":null}");
    JsonNode pretty =
        read("{\n  \"d\" : null,\n  \"a\" : {\n    \"b\" : \"x\",\n    \"c\" : [ 1, 2 ]\n  }\n}");

    assertThat(CanonicalJson.toBytes(pretty)).isEqualTo(CanonicalJson.toBytes(compact));
  }

  @Test
  void emptyContainers() {
    ArrayNode arr = F.arrayNode().add(F.objectNode()).add(F.arrayNode());

    assertThat(CanonicalJson.toText(arr)).isEqualTo("[{},[]]");
  }
}
