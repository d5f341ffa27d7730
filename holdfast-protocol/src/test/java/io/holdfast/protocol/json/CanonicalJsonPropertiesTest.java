package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonPropertiesTest {

  private static final StrictJson PARSER = new StrictJson(1 << 20, 64);

  @Provide
  Arbitrary<Map<String, JsonNode>> memberMaps() {
    return Arbitraries.maps(JsonArbitraries.keys(), JsonArbitraries.value(2, true)).ofMaxSize(8);
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return JsonArbitraries.value(3, true);
  }

  /** Rebuilds a tree with every object's members inserted in a shuffled order. */
  private static JsonNode reorder(JsonNode node, Random random) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
      Collections.shuffle(members, random);
      Map<String, JsonNode> shuffled = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> member : members) {
        shuffled.put(member.getKey(), reorder(member.getValue(), random));
      }
      return JsonArbitraries.toObject(shuffled);
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode copy = node.deepCopy();
      copy.removeAll();
      for (JsonNode element : node) {
        copy.add(reorder(element, random));
      }
      return copy;
    }
    return node;
  }

  @Property(tries = 500)
  void keyOrderIndependence_sameMembersInAnyInsertionOrder_giveIdenticalBytes(
      @ForAll("memberMaps") Map<String, JsonNode> members, @ForAll long seed) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(members.entrySet());
    Map<String, JsonNode> forward = new LinkedHashMap<>();
    entries.forEach(e -> forward.put(e.getKey(), e.getValue()));
    Collections.reverse(entries);
    Map<String, JsonNode> backward = new LinkedHashMap<>();
    entries.forEach(e -> backward.put(e.getKey(), reorder(e.getValue(), new Random(seed))));

    byte[] a = CanonicalJson.toBytes(JsonArbitraries.toObject(forward));
    byte[] b = CanonicalJson.toBytes(JsonArbitraries.toObject(backward));

    assertThat(b).isEqualTo(a);
  }

  @Property(tries = 500)
  void nestedKeyOrderIndependence(@ForAll("trees") JsonNode tree, @ForAll long seed) {
    assertThat(CanonicalJson.toBytes(reorder(tree, new Random(seed))))
        .isEqualTo(CanonicalJson.toBytes(tree));
  }

  @Property(tries = 500)
  void roundTrip_parseOfCanonicalBytes_equalsOriginal(@ForAll("trees") JsonNode tree)
      throws Exception {
    byte[] bytes = CanonicalJson.toBytes(tree);

    assertThat(PARSER.parse(bytes)).isEqualTo(tree);
  }

  @Property(tries = 500)
  void canonicalBytesAreAFixedPoint(@ForAll("trees") JsonNode tree) throws Exception {
    byte[] once = CanonicalJson.toBytes(tree);

    assertThat(CanonicalJson.toBytes(PARSER.parse(once))).isEqualTo(once);
  }

  @Property(tries = 500)
  void everyObjectInTheOutputHasSortedKeys(@ForAll("trees") JsonNode tree) throws Exception {
    JsonNode reparsed = PARSER.parse(CanonicalJson.toBytes(tree));

    assertSorted(reparsed);
  }

  private static void assertSorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        names.add(member.getKey());
        assertSorted(member.getValue());
      }
      List<String> sorted = new ArrayList<>(names);
      Collections.sort(sorted);
      assertThat(names).isEqualTo(sorted);
    } else if (node.isArray()) {
      node.forEach(CanonicalJsonPropertiesTest::assertSorted);
    }
  }

  @Property(tries = 500)
  void outputHasNoInsignificantWhitespace(@ForAll("trees") JsonNode tree) {
    String text = CanonicalJson.toText(tree);

    // Outside string literals there is no space, tab or line break.
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else {
        assertThat(c).as("character at %d of %s", i, text).isNotIn(' ', '\t', '\n', '\r');
      }
    }
    assertThat(new String(CanonicalJson.toBytes(tree), StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Property(tries = 500)
  void objectsWithEqualMembers_haveEqualBytes(@ForAll("memberMaps") Map<String, JsonNode> members) {
    ObjectNode a = JsonArbitraries.toObject(members);
    ObjectNode b = a.deepCopy();

    assertThat(CanonicalJson.toBytes(b)).isEqualTo(CanonicalJson.toBytes(a));
  }
}
