package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

  private final StrictJson json = new StrictJson(1024, 4);

  /** A typed target for the data-binding entry point. */
  public static final class Point {
    public int x;
    public int y;
  }

  /** A typed target holding an arbitrary tree, so that nested limits are reached in binding. */
  public static final class Holder {
    public JsonNode value;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonInputException.Kind kindOf(StrictJson parser, String text) {
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> parser.parse(utf8(text)));
    assertThat(e).as("expected %s to be rejected", text).isNotNull();
    assertThat(e.getMessage()).isNotBlank();
    return e.kind();
  }

  @Test
  void wellFormedDocument_isParsed() throws Exception {
    JsonNode node = json.parse(utf8("{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}"));

    assertThat(node.get("a").size()).isEqualTo(3);
    assertThat(node.get("c").asText()).isEqualTo("d");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}",
        "[{\"x\":true,\"x\":false}]"
      })
  void duplicateKeys_areRejectedAsDuplicateKey(String text) {
    assertThat(kindOf(json, text)).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
  }

  @Test
  void sameKeyInSiblingObjects_isNotADuplicate() throws Exception {
    assertThat(json.parse(utf8("[{\"a\":1},{\"a\":2}]")).size()).isEqualTo(2);
  }

  @Test
  void nestingAtTheLimit_isAccepted() throws Exception {
    assertThat(json.parse(utf8("[[[{\"a\":1}]]]")).isArray()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"[[[[[1]]]]]", "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", "[{\"a\":[{\"b\":[]}]}]"})
  void nestingOverTheLimit_isRejectedAsTooDeep(String text) {
    assertThat(kindOf(json, text)).isEqualTo(JsonInputException.Kind.TOO_DEEP);
  }

  @Test
  void veryDeepNesting_isRejectedAsTooDeepWithoutStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    StrictJson parser = new StrictJson(1_000_000, 64);

    assertThat(kindOf(parser, deep)).isEqualTo(JsonInputException.Kind.TOO_DEEP);
  }

  @Test
  void overlongNumber_isMalformedNotTooDeep() {
    StrictJson parser = new StrictJson(10_000, 4);

    assertThat(kindOf(parser, "1".repeat(2_000))).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void overlongMemberName_isMalformedNotTooDeep() {
    StrictJson parser = new StrictJson(100_000, 4);

    assertThat(kindOf(parser, "{\"" + "k".repeat(60_000) + "\":1}"))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void inputOverByteLimit_isRejectedAsTooLarge() {
    StrictJson small = new StrictJson(16, 4);
    String seventeen = "{\"a\":\"" + "x".repeat(9) + "\"}";
    assertThat(utf8(seventeen)).hasSize(17);

    assertThat(kindOf(small, seventeen)).isEqualTo(JsonInputException.Kind.TOO_LARGE);
    JsonInputException typed =
        catchThrowableOfType(
            JsonInputException.class, () -> small.parse(utf8(seventeen), Point.class));
    assertThat(typed.kind()).isEqualTo(JsonInputException.Kind.TOO_LARGE);
  }

  @Test
  void inputAtByteLimit_isAccepted() throws Exception {
    StrictJson small = new StrictJson(16, 4);
    String sixteen = "{\"a\":\"" + "x".repeat(8) + "\"}";
    assertThat(utf8(sixteen)).hasSize(16);

    assertThat(small.parse(utf8(sixteen)).get("a").asText()).hasSize(8);
  }

  @Test
  void sizeLimitCountsBytesNotCharacters() {
    StrictJson small = new StrictJson(10, 4);
    // 8 characters but 3 bytes each for the euro signs.
    String text = "\"\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\"";

    assertThat(kindOf(small, text)).isEqualTo(JsonInputException.Kind.TOO_LARGE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "\n",
        "{} x",
        "{}{}",
        "[1] 2",
        "{\"a\":1",
        "{\"a\":}",
        "{a:1}",
        "{'a':1}",
        "[1,]",
        "tru",
        "\"unterminated",
        "{\"a\":1,}",
        "NaN",
        "// comment\n{}",
        "01",
      })
  void malformedOrEmptyInput_isRejectedAsMalformed(String text) {
    assertThat(kindOf(json, text)).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void invalidUtf8_isRejectedAsMalformed() {
    byte[] bad = {'"', (byte) 0xC3, (byte) 0x28, '"'};

    JsonInputException e = catchThrowableOfType(JsonInputException.class, () -> json.parse(bad));
    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void typedParse_bindsKnownProperties() throws Exception {
    Point p = json.parse(utf8("{\"x\":1,\"y\":2}"), Point.class);

    assertThat(p.x).isEqualTo(1);
    assertThat(p.y).isEqualTo(2);
  }

  @Test
  void typedParse_unknownProperty_isMalformed() {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class, () -> json.parse(utf8("{\"x\":1,\"z\":3}"), Point.class));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(e.getMessage()).contains("z").doesNotContain("\n");
  }

  @Test
  void typedParse_duplicateKey_isDuplicateKey() {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class, () -> json.parse(utf8("{\"x\":1,\"x\":2}"), Point.class));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "  ", "null", "{\"x\":1} {}", "{\"x\":null}", "{\"x\":\"one\"}", "[1,2]"})
  void typedParse_emptyNullTrailingOrWrongShape_isMalformed(String text) {
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> json.parse(utf8(text), Point.class));

    assertThat(e).isNotNull();
    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void typedParse_tooDeepInsideABoundProperty_isTooDeep() {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class,
            () -> json.parse(utf8("{\"value\":[[[[[1]]]]]}"), Holder.class));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.TOO_DEEP);
  }

  @Test
  void typedParse_duplicateKeyInsideABoundProperty_isDuplicateKey() {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class,
            () -> json.parse(utf8("{\"value\":{\"a\":1,\"a\":2}}"), Holder.class));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
  }

  @Test
  void typedParse_nestedTreeWithinLimits_isBound() throws Exception {
    Holder h = json.parse(utf8("{\"value\":{\"a\":[1,{\"b\":2}]}}"), Holder.class);

    assertThat(h.value.at("/a/1/b").asInt()).isEqualTo(2);
  }

  @Test
  void constructorRejectsNonPositiveLimits() {
    for (List<Integer> limits :
        List.of(List.of(0, 1), List.of(1, 0), List.of(-1, 5), List.of(5, -1))) {
      assertThatThrownBy(() -> new StrictJson(limits.get(0), limits.get(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void limitsAreExposed() {
    assertThat(json.maxBytes()).isEqualTo(1024);
    assertThat(json.maxDepth()).isEqualTo(4);
    assertThat(json.toString()).contains("1024").contains("4");
  }

  @Test
  void C1_byteOrderMarkBeforeTheDocument_isMalformed() {
    byte[] withBom = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> json.parse(withBom));
    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(e.getMessage()).contains("byte order mark");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"\\udc00\":1}", "[\"ok\",\"x\\ud83dy\"]"})
  void C9_loneSurrogateInAValueOrKey_isMalformed(String text) {
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> json.parse(utf8(text)));
    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(e.getMessage()).containsIgnoringCase("surrogate");
  }

  @Test
  void C9_escapedSurrogatePair_isAcceptedAsTheCharacterItEncodes() throws Exception {
    JsonNode node = json.parse(utf8("{\"emoji\":\"\\ud83d\\ude00\"}"));
    assertThat(node.get("emoji").textValue()).isEqualTo(new String(Character.toChars(0x1F600)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"n\":1e1000000000}", "[-1e400]", "{\"a\":{\"b\":1.8e308}}"})
  void C6_numberBeyondTheDoubleRange_isMalformedRatherThanBecomingInfinity(String text) {
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> json.parse(utf8(text)));
    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(e.getMessage()).contains("out of range");
  }

  /**
   * Messages reach clients as problem details: they say what is wrong, where, in words, and never
   * name a Java type, package, method or parser setting (Jackson's own messages do).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":",
        "{\"a\":[1,2",
        "{\"a\":tru}",
        "[1,]",
        "{'a':1}",
        "{\"a\":1}}",
        "\"unterminated",
        "{\"a\":NaN}",
        "{\"a\":01}",
        "{\"a\":\"\\x41\"}",
        "{\"a\":\"\u0001\"}"
      })
  void messages_sayWhatAndWhere_withoutJavaNames(String text) {
    StrictJson parser = new StrictJson(10_000, 8);
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> parser.parse(utf8(text)));

    assertThat(e.getMessage())
        .doesNotContainPattern("(?:[a-z]+\\.){2,}[A-Z]|`|Exception|Feature|Constraints|\\[Source");
  }

  @Test
  void limitMessages_nameTheLimit_notTheMethodThatSetsIt() {
    StrictJson parser = new StrictJson(100_000, 4);
    JsonInputException number =
        catchThrowableOfType(JsonInputException.class, () -> parser.parse(utf8("1".repeat(2_000))));
    JsonInputException name =
        catchThrowableOfType(
            JsonInputException.class,
            () -> parser.parse(utf8("{\"" + "k".repeat(60_000) + "\":1}")));

    assertThat(number.getMessage())
        .startsWith("a number has more than 1000 digits")
        .doesNotContain("StreamReadConstraints");
    assertThat(name.getMessage())
        .startsWith("a member name is longer than 50000 characters")
        .doesNotContain("`");
  }

  @Test
  void typedParse_wrongType_namesTheMember_notTheJavaType() {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class,
            () -> json.parse(utf8("{\"x\":\"one\",\"y\":2}"), Point.class));

    assertThat(e.getMessage()).isEqualTo("member 'x' is missing, or of the wrong type");
  }
}
