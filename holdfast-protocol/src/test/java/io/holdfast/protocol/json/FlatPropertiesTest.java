package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatPropertiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void nestedObjectsBecomeDottedNames_andArrayElementsIndexedNames_inDocumentOrder()
      throws Exception {
    Map<String, JsonNode> flat =
        FlatProperties.of(
            json("{\"z\":1,\"db\":{\"pool\":{\"max\":8}},\"hosts\":[\"a\",{\"b\":2}]}"));

    assertThat(flat.keySet()).containsExactly("z", "db.pool.max", "hosts[0]", "hosts[1].b");
    assertThat(flat.get("db.pool.max").intValue()).isEqualTo(8);
    assertThat(flat.get("hosts[0]").asText()).isEqualTo("a");
  }

  @Test
  void nullsAndEmptyContainers_nameTheEmptyString_asSpringsYamlLoaderDoes() throws Exception {
    Map<String, JsonNode> flat =
        FlatProperties.of(json("{\"a\":null,\"b\":{},\"c\":[],\"d\":[null]}"));

    assertThat(flat.keySet()).containsExactly("a", "b", "c", "d[0]");
    assertThat(flat.values()).allMatch(v -> v.isTextual() && v.asText().isEmpty());
  }

  @Test
  void aPrefix_comesFirstInEveryName() throws Exception {
    assertThat(FlatProperties.of("core", json("{\"x\":{\"y\":true},\"l\":[1]}")).keySet())
        .containsExactly("core.x.y", "core.l[0]");
  }

  @Test
  void values_keepTheirJsonType() throws Exception {
    Map<String, JsonNode> flat =
        FlatProperties.of(json("{\"i\":3,\"d\":1.5,\"t\":true,\"s\":\"text\",\"n\":null}"));

    assertThat(FlatProperties.value(flat.get("i"))).isEqualTo(3);
    assertThat(FlatProperties.value(flat.get("d"))).isIn(1.5, new BigDecimal("1.5"));
    assertThat(FlatProperties.value(flat.get("t"))).isEqualTo(true);
    assertThat(FlatProperties.value(flat.get("s"))).isEqualTo("text");
    assertThat(FlatProperties.value(flat.get("n"))).isEqualTo("");
  }

  @Test
  void aScalarDocument_namesNothingWithoutAPrefix() throws Exception {
    assertThat(FlatProperties.of(json("42"))).isEmpty();
    assertThat(FlatProperties.of("answer", json("42"))).containsOnlyKeys("answer");
  }
}
