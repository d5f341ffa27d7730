package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergePatchTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  /** RFC 7396 Appendix A, one row per example: original | patch | result. */
  @ParameterizedTest(name = "[{index}] {0} + {1} = {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      textBlock =
          """
      {"a":"b"}                      | {"a":"c"}                     | {"a":"c"}
      {"a":"b"}                      | {"b":"c"}                     | {"a":"b","b":"c"}
      {"a":"b"}                      | {"a":null}                    | {}
      {"a":"b","b":"c"}              | {"a":null}                    | {"b":"c"}
      {"a":["b"]}                    | {"a":"c"}                     | {"a":"c"}
      {"a":"c"}                      | {"a":["b"]}                   | {"a":["b"]}
      {"a":{"b":"c"}}                | {"a":{"b":"d","c":null}}      | {"a":{"b":"d"}}
      {"a":[{"b":"c"}]}              | {"a":[1]}                     | {"a":[1]}
      ["a","b"]                      | ["c","d"]                     | ["c","d"]
      {"a":"b"}                      | ["c"]                         | ["c"]
      {"a":"foo"}                    | null                          | null
      {"a":"foo"}                    | "bar"                         | "bar"
      {"e":null}                     | {"a":1}                       | {"e":null,"a":1}
      [1,2]                          | {"a":"b","c":null}            | {"a":"b"}
      {}                             | {"a":{"bb":{"ccc":null}}}     | {"a":{"bb":{}}}
      """)
  void rfc7396AppendixA(String original, String patch, String expected) throws Exception {
    JsonNode result = MergePatch.apply(json(original), json(patch));

    assertThat(result).isEqualTo(json(expected));
  }

  @Test
  void rfc7396Section3_example() throws Exception {
    JsonNode target =
        json(
            """
        {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
         "tags":["example","sample"],"content":"This will be unchanged"}""");
    JsonNode patch =
        json(
            """
        {"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""");

    assertThat(MergePatch.apply(target, patch))
        .isEqualTo(
            json(
                """
        {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
         "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"""));
  }

  @Test
  void absentTarget_isTreatedAsEmptyObject() throws Exception {
    assertThat(MergePatch.apply(null, json("{\"a\":{\"b\":null,\"c\":1}}")))
        .isEqualTo(json("{\"a\":{\"c\":1}}"));
    assertThat(MergePatch.apply(null, json("[1]"))).isEqualTo(json("[1]"));
  }

  @Test
  void layersMergeInOrder_defaultThenRingThenInstance() throws Exception {
    JsonNode defaults = json("{\"timeout\":30,\"retries\":3,\"flags\":{\"a\":true,\"b\":false}}");
    JsonNode ring = json("{\"timeout\":10,\"flags\":{\"b\":true}}");
    JsonNode instance = json("{\"retries\":null,\"flags\":{\"c\":1}}");

    JsonNode effective = MergePatch.apply(MergePatch.apply(defaults, ring), instance);

    assertThat(effective)
        .isEqualTo(json("{\"timeout\":10,\"flags\":{\"a\":true,\"b\":true,\"c\":1}}"));
  }

  @Test
  void inputsAreNotMutated() throws Exception {
    JsonNode target = json("{\"a\":{\"b\":1},\"c\":[1]}");
    JsonNode patch = json("{\"a\":{\"b\":null,\"d\":2},\"c\":null,\"e\":{\"f\":[1]}}");
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    MergePatch.apply(target, patch);

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void resultSharesNoMutableNodeWithInputs() throws Exception {
    JsonNode target = json("{\"keep\":{\"x\":1},\"arr\":[{\"y\":1}]}");
    JsonNode patch = json("{\"new\":{\"z\":[1,{\"w\":2}]},\"keep\":{\"q\":2}}");
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    ObjectNode result = (ObjectNode) MergePatch.apply(target, patch);
    ((ObjectNode) result.get("keep")).put("mutated", true);
    ((ObjectNode) result.get("arr").get(0)).put("mutated", true);
    ((ObjectNode) result.get("new").get("z").get(1)).put("mutated", true);
    ((ArrayNode) result.get("new").get("z")).add(99);

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void nonObjectPatchResult_isACopy() throws Exception {
    JsonNode patch = json("[{\"a\":1}]");

    JsonNode result = MergePatch.apply(json("{}"), patch);
    ((ObjectNode) result.get(0)).put("b", 2);

    assertThat(patch).isEqualTo(json("[{\"a\":1}]"));
  }
}
