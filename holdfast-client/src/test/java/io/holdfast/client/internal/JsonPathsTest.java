package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPathsTest {

  private static final JsonNode DOC =
      TestDocuments.json(
          "{\"support\":{\"email\":\"help@acme.example\"},\"a.b\":{\"c\":1},\"x/y\":{\"t~u\":2},\"~1\":3,"
              + "\"items\":[{\"name\":\"first\"},{\"name\":\"second\"}],\"0\":\"zero-key\",\"\":\"empty-key\"}");

  private final JsonPaths paths = new JsonPaths();

  @Test
  void dottedPath_walksMembers() {
    assertThat(paths.resolve(DOC, "support.email").textValue()).isEqualTo("help@acme.example");
  }

  @Test
  void jsonPointer_reachesMembersWhoseNamesContainDots() {
    assertThat(paths.resolve(DOC, "/a.b/c").intValue()).isEqualTo(1);
    assertThat(paths.resolve(DOC, "a.b.c")).as("the dotted form splits the dot").isNull();
  }

  @Test
  void jsonPointer_unescapesTildeOneAndTildeZero_inTheRightOrder() {
    assertThat(paths.resolve(DOC, "/x~1y/t~0u").intValue()).isEqualTo(2);
    // RFC 6901: "~01" is "~1", not "/".
    assertThat(paths.resolve(DOC, "/~01").intValue()).isEqualTo(3);
    assertThat(JsonPaths.parse("/~01")).containsExactly("~1");
  }

  @Test
  void arrayIndices_workInBothForms() {
    assertThat(paths.resolve(DOC, "items.1.name").textValue()).isEqualTo("second");
    assertThat(paths.resolve(DOC, "/items/0/name").textValue()).isEqualTo("first");
  }

  @Test
  void badArrayIndices_resolveToNothing() {
    assertThat(paths.resolve(DOC, "items.2.name")).isNull();
    assertThat(paths.resolve(DOC, "items.-1")).isNull();
    assertThat(paths.resolve(DOC, "items.one")).isNull();
    assertThat(paths.resolve(DOC, "items.9999999999")).isNull();
    assertThat(paths.resolve(DOC, "items.")).isNull();
  }

  @Test
  void numericSegment_onAnObject_isAMemberName() {
    assertThat(paths.resolve(DOC, "0").textValue()).isEqualTo("zero-key");
  }

  @Test
  void emptyPath_isTheRoot_andEmptyPointerTokenIsTheEmptyName() {
    assertThat(paths.resolve(DOC, "")).isSameAs(DOC);
    assertThat(paths.resolve(DOC, "/").textValue()).isEqualTo("empty-key");
  }

  @Test
  void missingPaths_andNull_resolveToNothing() {
    assertThat(paths.resolve(DOC, "support.phone")).isNull();
    assertThat(paths.resolve(DOC, "support.email.local")).isNull();
    assertThat(paths.resolve(DOC, "nope.deeper.still")).isNull();
    assertThat(paths.resolve(DOC, null)).isNull();
  }

  @Test
  void I10_manyDistinctPaths_stillResolve_pastTheCacheBound() {
    for (int i = 0; i < JsonPaths.MAX_CACHED + 100; i++) {
      assertThat(paths.resolve(DOC, "support.email." + i)).isNull();
    }
    assertThat(paths.resolve(DOC, "items.0.name").textValue()).isEqualTo("first");
  }
}
