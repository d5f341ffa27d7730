package io.holdfast.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.holdfast.server.model.JsonDiff.Change;
import java.io.UncheckedIOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonDiffTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Change> diff(String before, String after) {
    return JsonDiff.between(
        before == null ? null : json(before), after == null ? null : json(after));
  }

  // ------------------------------------------------------------------ examples

  @Test
  void equalDocuments_haveNoChanges_whateverTheMemberOrder() {
    assertThat(diff("{\"a\":1,\"b\":{\"c\":[1,2]}}", "{\"b\":{\"c\":[1,2]},\"a\":1}")).isEmpty();
    assertThat(JsonDiff.between(null, null)).isEmpty();
  }

  @Test
  void addedMember_isAnAddWithoutBefore() {
    assertThat(diff("{\"a\":1}", "{\"a\":1,\"b\":2}"))
        .containsExactly(new Change("add", "/b", null, json("2")));
  }

  @Test
  void removedMember_isARemoveWithoutAfter() {
    assertThat(diff("{\"a\":1,\"b\":2}", "{\"a\":1}"))
        .containsExactly(new Change("remove", "/b", json("2"), null));
  }

  @Test
  void changedValue_isAReplaceWithBothValues() {
    assertThat(diff("{\"limit\":5}", "{\"limit\":6}"))
        .containsExactly(new Change("replace", "/limit", json("5"), json("6")));
  }

  @Test
  void nestedChanges_areReportedAtTheirDeepestObjectPath() {
    assertThat(
            diff("{\"a\":{\"b\":{\"c\":1,\"d\":2}}}", "{\"a\":{\"b\":{\"c\":1,\"d\":3,\"e\":4}}}"))
        .containsExactly(
            new Change("replace", "/a/b/d", json("2"), json("3")),
            new Change("add", "/a/b/e", null, json("4")));
  }

  @Test
  void arrays_areComparedAsWholeValues() {
    assertThat(diff("{\"hosts\":[\"a\",\"b\",\"c\"]}", "{\"hosts\":[\"a\",\"x\",\"c\"]}"))
        .containsExactly(
            new Change(
                "replace", "/hosts", json("[\"a\",\"b\",\"c\"]"), json("[\"a\",\"x\",\"c\"]")));
    assertThat(diff("{\"hosts\":[1,2]}", "{\"hosts\":[2,1]}"))
        .extracting(Change::path)
        .containsExactly("/hosts");
  }

  @Test
  void typeChange_isOneReplaceOfTheWholeValue() {
    assertThat(diff("{\"a\":{\"b\":1}}", "{\"a\":\"flat\"}"))
        .containsExactly(new Change("replace", "/a", json("{\"b\":1}"), json("\"flat\"")));
  }

  @Test
  void jsonNull_isAValue_notAnAbsence() {
    assertThat(diff("{\"a\":null}", "{}"))
        .containsExactly(new Change("remove", "/a", NullNode.getInstance(), null));
    assertThat(diff("{\"a\":null}", "{\"a\":0}"))
        .containsExactly(new Change("replace", "/a", NullNode.getInstance(), json("0")));
  }

  @Test
  void memberNames_areEscapedAsJsonPointer() {
    assertThat(diff("{}", "{\"a/b\":1,\"m~n\":2,\"\":3}"))
        .extracting(Change::path)
        .containsExactly("/", "/a~1b", "/m~0n");
  }

  @Test
  void changes_areOrderedByMemberName() {
    assertThat(diff("{\"z\":1,\"a\":1,\"m\":1}", "{\"z\":2,\"a\":2,\"m\":2}"))
        .extracting(Change::path)
        .containsExactly("/a", "/m", "/z");
  }

  @Test
  void absentDocuments_areAnAddOrRemoveOfTheRoot() {
    assertThat(diff(null, "{\"a\":1}"))
        .containsExactly(new Change("add", "", null, json("{\"a\":1}")));
    assertThat(diff("{\"a\":1}", null))
        .containsExactly(new Change("remove", "", json("{\"a\":1}"), null));
  }

  // ------------------------------------------------------------------ properties

  @Property(tries = 300)
  void aDocumentDiffedWithItself_hasNoChanges(@ForAll("documents") JsonNode document) {
    assertThat(JsonDiff.between(document, document.deepCopy())).isEmpty();
  }

  @Property(tries = 500)
  void applyingTheChanges_turnsBeforeIntoAfter(
      @ForAll("documents") JsonNode before, @ForAll("documents") JsonNode after) {
    List<Change> changes = JsonDiff.between(before, after);

    assertThat(changes.isEmpty()).isEqualTo(before.equals(after));
    JsonNode patched = before.deepCopy();
    for (Change change : changes) {
      JsonPointer pointer = JsonPointer.compile(change.path());
      assertThat(nodeAt(before, pointer))
          .as("before at %s", change.path())
          .isEqualTo(change.before());
      assertThat(nodeAt(after, pointer)).as("after at %s", change.path()).isEqualTo(change.after());
      patched = apply(patched, pointer, change);
    }
    assertThat(patched).isEqualTo(after);
  }

  private static JsonNode nodeAt(JsonNode document, JsonPointer pointer) {
    JsonNode node = document.at(pointer);
    return node.isMissingNode() ? null : node;
  }

  private static JsonNode apply(JsonNode document, JsonPointer pointer, Change change) {
    if (pointer.matches()) {
      return change.after();
    }
    ObjectNode parent = (ObjectNode) document.at(pointer.head());
    String name = pointer.last().getMatchingProperty();
    if (change.after() == null) {
      parent.remove(name);
    } else {
      parent.set(name, change.after().deepCopy());
    }
    return document;
  }

  @Provide
  Arbitrary<JsonNode> documents() {
    return objects(3);
  }

  private static Arbitrary<JsonNode> objects(int depth) {
    return Arbitraries.maps(Arbitraries.of("a", "b", "c/d", "e~f", ""), values(depth - 1))
        .ofMaxSize(4)
        .map(
            members -> {
              ObjectNode node = JsonNodeFactory.instance.objectNode();
              members.forEach((name, value) -> node.set(name, value));
              return node;
            });
  }

  private static Arbitrary<JsonNode> values(int depth) {
    Arbitrary<JsonNode> integers = Arbitraries.integers().between(-2, 2).map(IntNode::valueOf);
    Arbitrary<JsonNode> texts = Arbitraries.of("x", "y").map(TextNode::valueOf);
    Arbitrary<JsonNode> constants =
        Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.getInstance());
    Arbitrary<JsonNode> arrays =
        Arbitraries.integers()
            .between(0, 2)
            .list()
            .ofMaxSize(3)
            .map(
                list -> {
                  ArrayNode array = JsonNodeFactory.instance.arrayNode();
                  list.forEach(array::add);
                  return array;
                });
    if (depth <= 0) {
      return Arbitraries.oneOf(List.of(integers, texts, constants, arrays));
    }
    return Arbitraries.oneOf(
        List.of(integers, texts, constants, arrays, objects(depth), objects(depth)));
  }
}
