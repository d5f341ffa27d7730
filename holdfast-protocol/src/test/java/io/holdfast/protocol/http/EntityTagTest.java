package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

  @Test
  void parseStrongTag_yieldsOpaqueWithoutQuotes() {
    EntityTag tag = EntityTag.parse("\"abc-123\"");

    assertThat(tag.opaque()).isEqualTo("abc-123");
    assertThat(tag.weak()).isFalse();
  }

  @Test
  void parseWeakTag_marksItWeak() {
    EntityTag tag = EntityTag.parse("W/\"abc\"");

    assertThat(tag.opaque()).isEqualTo("abc");
    assertThat(tag.weak()).isTrue();
  }

  @Test
  void parseIgnoresSurroundingWhitespace() {
    assertThat(EntityTag.parse("  \"x\"\t")).isEqualTo(EntityTag.strong("x"));
  }

  @Test
  void parseEmptyQuotedString_isAValidEmptyTag() {
    assertThat(EntityTag.parse("\"\"").opaque()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc", // unquoted
        "\"abc", // no closing quote
        "abc\"", // no opening quote
        "\"", // a lone quote
        "", // empty
        "W/abc", // weak but unquoted
        "w/\"abc\"", // lower-case weak prefix is not W/
        "W/ \"abc\"", // space between W/ and the quote
        "W/W/\"abc\"", // doubled prefix
        "\"a\"b\"", // quote inside the tag
        "\"a b\"", // space is not an etagc
        "\"a\u007fb\"", // DEL
        "\"a\u0001b\"", // control character
        "\"\u20ac\"", // beyond obs-text (U+20AC)
      })
  void parseMalformedTag_isRejected(String text) {
    assertThatThrownBy(() -> EntityTag.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void obsTextCharacters_areAccepted() {
    assertThat(EntityTag.parse("\"\u00e9\u00ff\u0080\"").opaque()).isEqualTo("\u00e9\u00ff\u0080");
  }

  @Test
  void constructorRejectsForbiddenCharacters() {
    assertThatThrownBy(() -> EntityTag.strong("a\"b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntityTag("a b", true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void weakComparison_ignoresWeakness() {
    EntityTag strong = EntityTag.parse("\"v1\"");
    EntityTag weak = EntityTag.parse("W/\"v1\"");

    assertThat(strong.weaklyMatches(weak)).isTrue();
    assertThat(weak.weaklyMatches(strong)).isTrue();
    assertThat(weak.weaklyMatches(weak)).isTrue();
    assertThat(strong.weaklyMatches(EntityTag.strong("v2"))).isFalse();
  }

  @Test
  void strongComparison_requiresBothStrongAndEqual() {
    EntityTag strong = EntityTag.parse("\"v1\"");
    EntityTag weak = EntityTag.parse("W/\"v1\"");

    assertThat(strong.stronglyMatches(EntityTag.strong("v1"))).isTrue();
    assertThat(strong.stronglyMatches(weak)).isFalse();
    assertThat(weak.stronglyMatches(strong)).isFalse();
    assertThat(weak.stronglyMatches(weak)).isFalse();
    assertThat(strong.stronglyMatches(EntityTag.strong("v2"))).isFalse();
  }

  @Test
  void comparisonIsCaseSensitive() {
    assertThat(EntityTag.strong("abc").weaklyMatches(EntityTag.strong("ABC"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"abc\"", "W/\"abc\"", "\"\"", "W/\"\"", "\"x-gzip\"", "\"a!#~\""})
  void toHeaderValue_roundTripsThroughParse(String header) {
    EntityTag tag = EntityTag.parse(header);

    assertThat(tag.toHeaderValue()).isEqualTo(header);
    assertThat(tag.toString()).isEqualTo(header);
    assertThat(EntityTag.parse(tag.toHeaderValue())).isEqualTo(tag);
  }

  @Test
  void strongFactory_producesStrongHeaderForm() {
    assertThat(EntityTag.strong("q").toHeaderValue()).isEqualTo("\"q\"");
    assertThat(new EntityTag("q", true).toHeaderValue()).isEqualTo("W/\"q\"");
  }
}
