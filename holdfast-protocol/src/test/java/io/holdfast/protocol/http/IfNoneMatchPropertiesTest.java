package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IfNoneMatchPropertiesTest {

  /** Whole lines drawn from every UTF-16 code unit, surrogates and controls included. */
  private static Arbitrary<String> anyCharLine() {
    return Arbitraries.strings()
        .withCharRange(Character.MIN_VALUE, Character.MAX_VALUE)
        .ofMaxLength(40);
  }

  /** Lines biased towards the characters the parser cares about. */
  private static Arbitrary<String> syntaxHeavyLine() {
    return Arbitraries.strings()
        .withChars(
            '"', ',', '*', 'W', '/', ' ', '\t', 'a', 'w', '\u00e9', '\u20ac', '\u0000', ';', '=')
        .ofMaxLength(40);
  }

  /** Lines assembled from plausible tokens, so that the deeper branches are reached often. */
  private static Arbitrary<String> tokenLine() {
    Arbitrary<String> token =
        Arbitraries.of(
            "\"a\"",
            "W/\"b\"",
            "\"\"",
            "*",
            ",",
            ", ",
            " ",
            "\t",
            "W/",
            "W",
            "\"",
            "\"x",
            "x\"",
            "\"a b\"",
            "\"\u20ac\"",
            "\"\u00ff\"",
            ";q=1",
            "W/ \"c\"");
    return token.list().ofMaxSize(12).map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<List<String>> headerLines() {
    Arbitrary<String> line =
        Arbitraries.oneOf(List.of(anyCharLine(), syntaxHeavyLine(), tokenLine()));
    return line.list().ofMinSize(0).ofMaxSize(4);
  }

  @Property(tries = 3000)
  void A14_anyInput_eitherParsesOrThrowsIllegalArgumentException(
      @ForAll("headerLines") List<String> lines) {
    Throwable thrown = catchThrowable(() -> IfNoneMatch.parse(lines));

    if (thrown != null) {
      assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Property
  void A14_parsedResult_isEitherStarOrNonEmptyTagList(@ForAll("headerLines") List<String> lines) {
    IfNoneMatch inm;
    try {
      inm = IfNoneMatch.parse(lines);
    } catch (IllegalArgumentException rejected) {
      return;
    }
    if (inm.isAny()) {
      assertThat(inm.tags()).isEmpty();
    } else {
      assertThat(inm.tags()).isNotEmpty();
      // Whatever was accepted can be written back and parsed to the same tags.
      assertThat(IfNoneMatch.parse(List.of(inm.toHeaderValue())).tags()).isEqualTo(inm.tags());
    }
  }

  @Provide
  Arbitrary<List<EntityTag>> tagLists() {
    Arbitrary<String> opaque =
        Arbitraries.strings()
            .withCharRange('#', '~')
            .withChars('!', '\u0080', '\u00ff')
            .ofMaxLength(20);
    Arbitrary<EntityTag> tag =
        net.jqwik.api.Combinators.combine(opaque, Arbitraries.of(true, false)).as(EntityTag::new);
    return tag.list().ofMinSize(1).ofMaxSize(20);
  }

  @Property
  void formattedTagList_parsesBackToSameTags(@ForAll("tagLists") List<EntityTag> tags) {
    IfNoneMatch inm = IfNoneMatch.of(tags);

    IfNoneMatch reparsed = IfNoneMatch.parse(List.of(inm.toHeaderValue()));

    assertThat(reparsed.isAny()).isFalse();
    assertThat(reparsed.tags()).isEqualTo(tags);
  }

  @Property
  void anyListedTag_matchesWeaklyRegardlessOfWeakness(@ForAll("tagLists") List<EntityTag> tags) {
    IfNoneMatch inm = IfNoneMatch.parse(List.of(IfNoneMatch.of(tags).toHeaderValue()));

    for (EntityTag tag : tags) {
      assertThat(inm.matches(EntityTag.strong(tag.opaque()))).isTrue();
      assertThat(inm.matches(new EntityTag(tag.opaque(), true))).isTrue();
    }
    String absent =
        "absent-" + tags.size() + String.join("", tags.stream().map(EntityTag::opaque).toList());
    assertThat(inm.matches(EntityTag.strong(absent))).isFalse();
  }
}
