package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MergePatchPropertiesTest {

  @Provide
  Arbitrary<ObjectNode> targets() {
    return JsonArbitraries.object(2, true);
  }

  @Provide
  Arbitrary<ObjectNode> patchesWithoutNulls() {
    return JsonArbitraries.object(2, false);
  }

  @Provide
  Arbitrary<ObjectNode> patches() {
    return JsonArbitraries.object(2, true);
  }

  @Provide
  Arbitrary<JsonNode> anyValues() {
    return JsonArbitraries.value(3, true);
  }

  @Property(tries = 400)
  void patchWithoutNulls_isIdempotent(
      @ForAll("targets") ObjectNode target, @ForAll("patchesWithoutNulls") ObjectNode patch) {
    JsonNode once = MergePatch.apply(target, patch);

    assertThat(MergePatch.apply(once, patch)).isEqualTo(once);
  }

  @Property(tries = 400)
  void anyPatch_isIdempotent(
      @ForAll("anyValues") JsonNode target, @ForAll("patches") ObjectNode patch) {
    JsonNode once = MergePatch.apply(target, patch);

    assertThat(MergePatch.apply(once, patch)).isEqualTo(once);
  }

  @Property(tries = 400)
  void emptyPatch_leavesObjectUnchanged(@ForAll("targets") ObjectNode target) {
    JsonNode result = MergePatch.apply(target, JsonNodeFactory.instance.objectNode());

    assertThat(result).isEqualTo(target);
  }

  @Property(tries = 400)
  void emptyPatch_turnsNonObjectIntoEmptyObject(@ForAll("anyValues") JsonNode target) {
    JsonNode result = MergePatch.apply(target, JsonNodeFactory.instance.objectNode());

    assertThat(result)
        .isEqualTo(target.isObject() ? target : JsonNodeFactory.instance.objectNode());
  }

  @Property(tries = 400)
  void nonObjectPatch_replacesTarget(
      @ForAll("anyValues") JsonNode target, @ForAll("anyValues") JsonNode patch) {
    if (patch.isObject()) {
      return;
    }

    assertThat(MergePatch.apply(target, patch)).isEqualTo(patch);
  }

  @Property(tries = 400)
  void inputsAreNeverMutated(
      @ForAll("anyValues") JsonNode target, @ForAll("patches") ObjectNode patch) {
    JsonNode targetBefore = target.deepCopy();
    JsonNode patchBefore = patch.deepCopy();

    JsonNode result = MergePatch.apply(target, patch);
    // Mutating every container of the result must not reach the inputs either.
    mutateEverywhere(result);

    assertThat(target).isEqualTo(targetBefore);
    assertThat(patch).isEqualTo(patchBefore);
  }

  private static void mutateEverywhere(JsonNode node) {
    if (node.isObject()) {
      List<JsonNode> children = new ArrayList<>();
      node.forEach(children::add);
      children.forEach(MergePatchPropertiesTest::mutateEverywhere);
      ((ObjectNode) node).put("\u0000mutated", true);
    } else if (node.isArray()) {
      List<JsonNode> children = new ArrayList<>();
      node.forEach(children::add);
      children.forEach(MergePatchPropertiesTest::mutateEverywhere);
      ((ArrayNode) node).add("mutated");
    }
  }

  @Property(tries = 400)
  void nullMembers_removeThoseKeysAndKeepTheRest(
      @ForAll("targets") ObjectNode target, @ForAll("removals") Set<String> removed) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    removed.forEach(key -> patch.set(key, NullNode.getInstance()));

    JsonNode result = MergePatch.apply(target, patch);

    for (String key : removed) {
      assertThat(result.has(key)).as("key %s removed", key).isFalse();
    }
    for (Map.Entry<String, JsonNode> member : target.properties()) {
      if (!removed.contains(member.getKey())) {
        assertThat(result.get(member.getKey())).isEqualTo(member.getValue());
      }
    }
    assertThat(result.size())
        .isEqualTo(
            (int) target.propertyStream().filter(e -> !removed.contains(e.getKey())).count());
  }

  @Provide
  Arbitrary<Set<String>> removals() {
    return JsonArbitraries.keys().set().ofMaxSize(6);
  }

  @Property(tries = 400)
  void patchMembers_areMergedOrSet(
      @ForAll("targets") ObjectNode target, @ForAll("patches") ObjectNode patch) {
    JsonNode result = MergePatch.apply(target, patch);

    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      JsonNode value = member.getValue();
      if (value.isNull()) {
        assertThat(result.has(member.getKey())).isFalse();
      } else {
        assertThat(result.get(member.getKey()))
            .isEqualTo(MergePatch.apply(target.get(member.getKey()), value));
      }
    }
    for (Map.Entry<String, JsonNode> member : target.properties()) {
      if (!patch.has(member.getKey())) {
        assertThat(result.get(member.getKey())).isEqualTo(member.getValue());
      }
    }
  }

  @Property(tries = 400)
  void patchingWithTheTargetItself_givesTheTargetWithoutNulls(
      @ForAll("patchesWithoutNulls") ObjectNode t) {
    assertThat(MergePatch.apply(t, t)).isEqualTo(t);
  }

  @Property(tries = 400)
  void smallStringKeysOnly_stillBehave(
      @ForAll("smallObjects") ObjectNode target, @ForAll("smallObjects") ObjectNode p) {
    // Few distinct keys make target and patch overlap often, exercising the recursive branch.
    JsonNode once = MergePatch.apply(target, p);
    assertThat(MergePatch.apply(once, p)).isEqualTo(once);
  }

  @Provide
  Arbitrary<ObjectNode> smallObjects() {
    Arbitrary<String> keys = Arbitraries.of("a", "b", "c");
    Arbitrary<JsonNode> leaf = JsonArbitraries.scalar(true);
    Arbitrary<ObjectNode> inner =
        Arbitraries.maps(keys, leaf).ofMaxSize(3).map(JsonArbitraries::toObject);
    Arbitrary<ObjectNode> mid =
        Arbitraries.maps(keys, Arbitraries.<JsonNode>oneOf(List.of(leaf, inner)))
            .ofMaxSize(3)
            .map(JsonArbitraries::toObject);
    return Arbitraries.maps(keys, Arbitraries.<JsonNode>oneOf(List.of(leaf, inner, mid)))
        .ofMaxSize(3)
        .map(JsonArbitraries::toObject);
  }
}
