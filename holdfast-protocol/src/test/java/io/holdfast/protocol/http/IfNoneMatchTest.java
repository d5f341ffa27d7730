package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IfNoneMatchTest {

  private static final EntityTag CURRENT = EntityTag.strong("current");

  private static IfNoneMatch parse(String... lines) {
    return IfNoneMatch.parse(List.of(lines));
  }

  @Test
  void singleStrongTag_isParsed() {
    IfNoneMatch inm = parse("\"abc\"");

    assertThat(inm.isAny()).isFalse();
    assertThat(inm.tags()).containsExactly(EntityTag.strong("abc"));
  }

  @Test
  void A14_listIncludingCurrentTag_matches() {
    IfNoneMatch inm = parse("\"old\", \"current\" ,\t\"older\"");

    assertThat(inm.tags())
        .containsExactly(
            EntityTag.strong("old"), EntityTag.strong("current"), EntityTag.strong("older"));
    assertThat(inm.matches(CURRENT)).isTrue();
  }

  @Test
  void listWithoutCurrentTag_doesNotMatch() {
    IfNoneMatch inm = parse("\"old\", \"older\"");

    assertThat(inm.matches(CURRENT)).isFalse();
  }

  @Test
  void listWithoutSpaces_isParsed() {
    assertThat(parse("\"a\",\"b\",W/\"c\"").tags())
        .containsExactly(EntityTag.strong("a"), EntityTag.strong("b"), new EntityTag("c", true));
  }

  @Test
  void C12_repeatedHeaderLines_areCombinedIntoOneList() {
    IfNoneMatch inm = parse("\"a\"", "\"b\", \"current\"", "W/\"c\"");

    assertThat(inm.tags())
        .containsExactly(
            EntityTag.strong("a"), EntityTag.strong("b"), CURRENT, new EntityTag("c", true));
    assertThat(inm.matches(CURRENT)).isTrue();
  }

  @Test
  void A14_star_matchesAnyCurrentRepresentation() {
    IfNoneMatch inm = parse("*");

    assertThat(inm.isAny()).isTrue();
    assertThat(inm.tags()).isEmpty();
    assertThat(inm.matches(CURRENT)).isTrue();
    assertThat(inm.matches(EntityTag.strong("anything"))).isTrue();
    assertThat(inm.toHeaderValue()).isEqualTo("*");
  }

  @Test
  void starWithSurroundingWhitespace_isAccepted() {
    assertThat(parse("  * ").isAny()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*, \"a\"", "\"a\", *", "W/\"a\",*", "*,\"current\""})
  void A14_ifNoneMatchMixingStarWithTags_isRejected(String header) {
    assertThatThrownBy(() -> parse(header)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void A14_starAndTagsOnSeparateHeaderLines_isRejected() {
    assertThatThrownBy(() -> parse("*", "\"a\"")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("\"a\"", "*")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void A14_weakTagOnStrongCurrentTag_matchesWeakly() {
    IfNoneMatch inm = parse("W/\"current\"");

    assertThat(inm.tags()).containsExactly(new EntityTag("current", true));
    assertThat(inm.matches(CURRENT)).isTrue();
  }

  @Test
  void A11_rewrittenGzipSuffixTag_doesNotMatch() {
    assertThat(parse("\"current-gzip\", \"current--gzip\"").matches(CURRENT)).isFalse();
  }

  @Test
  void emptyListElements_areIgnored() {
    IfNoneMatch inm = parse(", ,\"a\", ,  ,\"b\",,");

    assertThat(inm.tags()).containsExactly(EntityTag.strong("a"), EntityTag.strong("b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", ", ,", ",", "\t,\t"})
  void headerLineWithoutAnyElement_isRejected(String header) {
    assertThatThrownBy(() -> parse(header)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc", // A14 unquoted tag
        "\"a\" \"b\"", // missing comma
        "\"a\"\"b\"", // adjacent tags
        "**", // doubled star
        "* *", // two stars without comma
        "W/", // weak prefix without tag
        "W", // bare W
        "W/abc", // weak prefix, unquoted
        "w/\"abc\"", // lower-case weak prefix
        "\"a\"; q=1", // parameters are not allowed
        "\"a b\"", // space inside the tag
        "\"caf\u20ac\"", // non-Latin-1 character inside the tag
        "\"a\"\r\n\"b\"", // line break between tags
        "garbage!!!",
        "<\"a\">",
      })
  void A14_garbageInput_isRejected(String header) {
    assertThatThrownBy(() -> parse(header)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc", "\"a\", \"b", "W/\"", "\"", "\"a\", W/\"never closes"})
  void C12_unterminatedQuotedString_isRejected(String header) {
    assertThatThrownBy(() -> parse(header))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated");
  }

  @Test
  void A14_tagContainingComma_isOneTagBecauseCommaIsAnEtagChar() {
    IfNoneMatch inm = parse("\"a,b\", \"c\"");

    assertThat(inm.tags()).containsExactly(EntityTag.strong("a,b"), EntityTag.strong("c"));
    assertThat(inm.matches(EntityTag.strong("a,b"))).isTrue();
    assertThat(inm.matches(EntityTag.strong("a"))).isFalse();
  }

  @Test
  void emptyListOfLines_isRejected() {
    assertThatThrownBy(() -> IfNoneMatch.parse(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullLine_isRejectedAsIllegalArgument() {
    List<String> lines = Arrays.asList("\"a\"", null);

    assertThatThrownBy(() -> IfNoneMatch.parse(lines)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void A14_tenThousandTags_parsesAllOfThem() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      parts.add((i % 2 == 0 ? "" : "W/") + "\"tag-" + i + "\"");
    }
    IfNoneMatch inm = parse(String.join(", ", parts));

    assertThat(inm.tags()).hasSize(10_000);
    assertThat(inm.tags().get(9_999)).isEqualTo(new EntityTag("tag-9999", true));
    assertThat(inm.matches(EntityTag.strong("tag-9999"))).isTrue();
    assertThat(inm.matches(EntityTag.strong("tag-10000"))).isFalse();
  }

  @Test
  void C12_tenThousandRepeatedHeaderLines_areAllCombined() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      lines.add("\"t" + i + "\"");
    }
    IfNoneMatch inm = IfNoneMatch.parse(lines);

    assertThat(inm.tags()).hasSize(10_000);
    assertThat(inm.matches(EntityTag.strong("t0"))).isTrue();
  }

  @Test
  void C12_oneMegabyteTag_isParsedAsOneTag() {
    String big = "a".repeat(1 << 20);
    IfNoneMatch inm = parse("\"" + big + "\"");

    assertThat(inm.tags()).singleElement().extracting(EntityTag::opaque).isEqualTo(big);
  }

  @Test
  void C12_oneMegabyteUnterminatedTag_isRejected() {
    String big = "\"" + "a".repeat(1 << 20);

    assertThatThrownBy(() -> parse(big)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toHeaderValue_joinsTagsAndReparsesToSameTags() {
    IfNoneMatch inm = parse("\"a\",W/\"b\"", "\"c\"");

    assertThat(inm.toHeaderValue()).isEqualTo("\"a\", W/\"b\", \"c\"");
    assertThat(parse(inm.toHeaderValue()).tags()).isEqualTo(inm.tags());
  }

  @Test
  void of_copiesTagsAndRejectsEmptyList() {
    List<EntityTag> tags = new ArrayList<>(List.of(EntityTag.strong("a")));
    IfNoneMatch inm = IfNoneMatch.of(tags);
    tags.add(CURRENT);

    assertThat(inm.tags()).containsExactly(EntityTag.strong("a"));
    assertThat(inm.matches(CURRENT)).isFalse();
    assertThatThrownBy(() -> IfNoneMatch.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void any_isStarCondition() {
    assertThat(IfNoneMatch.any().isAny()).isTrue();
    assertThat(IfNoneMatch.any().matches(CURRENT)).isTrue();
  }

  @Test
  void parsedTags_areImmutable() {
    IfNoneMatch inm = parse("\"a\"");

    assertThatThrownBy(() -> inm.tags().add(CURRENT))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
