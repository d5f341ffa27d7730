package io.holdfast.protocol.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final StrictJson JSON = new StrictJson(1 << 16, 32);
  private static final Instant ISSUED = Instant.parse("2024-05-06T07:08:09.123Z");

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Envelope sample() {
    return new Envelope(
        "inst-1", "core", 7, ISSUED, json("{\"z\":1,\"a\":{\"y\":[true,null],\"b\":\"x\"}}"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonInputException.Kind rejectionKind(String text) {
    JsonInputException e =
        catchThrowableOfType(JsonInputException.class, () -> Envelope.parse(utf8(text), JSON));
    assertThat(e).as("expected rejection of %s", text).isNotNull();
    return e.kind();
  }

  /** A valid envelope text with one member replaced (or removed when {@code value} is null). */
  private static String withMember(String name, String value) {
    ObjectNode node = (ObjectNode) json(new String(sample().toBytes(), StandardCharsets.UTF_8));
    if (value == null) {
      node.remove(name);
    } else {
      node.set(name, json(value));
    }
    return node.toString();
  }

  @Test
  void toBytes_isCanonicalJsonWithSortedMembersAndNoWhitespace() {
    String text = new String(sample().toBytes(), StandardCharsets.UTF_8);

    assertThat(text)
        .isEqualTo(
            "{\"content\":{\"a\":{\"b\":\"x\",\"y\":[true,null]},\"z\":1},"
                + "\"format\":\"holdfast-envelope-1\",\"instance\":\"inst-1\","
                + "\"issuedAt\":\"2024-05-06T07:08:09.123Z\",\"namespace\":\"core\",\"revision\":7}");
  }

  @Test
  void A11_toBytes_isDeterministicAcrossEqualEnvelopes() {
    Envelope a = sample();
    Envelope b =
        new Envelope(
            "inst-1",
            "core",
            7,
            Instant.parse("2024-05-06T07:08:09.123Z"),
            json("{\"a\":{\"b\":\"x\",\"y\":[true,null]},\"z\":1}"));

    assertThat(b.toBytes()).isEqualTo(a.toBytes());
    assertThat(a.toBytes()).isEqualTo(a.toBytes());
    assertThat(ContentHash.of(b.toBytes()).entityTag())
        .isEqualTo(ContentHash.of(a.toBytes()).entityTag());
  }

  @Test
  void toBytes_changesWithEveryMember() {
    byte[] base = sample().toBytes();

    assertThat(new Envelope("inst-2", "core", 7, ISSUED, sample().content()).toBytes())
        .isNotEqualTo(base);
    assertThat(new Envelope("inst-1", "other", 7, ISSUED, sample().content()).toBytes())
        .isNotEqualTo(base);
    assertThat(new Envelope("inst-1", "core", 8, ISSUED, sample().content()).toBytes())
        .isNotEqualTo(base);
    assertThat(
            new Envelope("inst-1", "core", 7, ISSUED.plusMillis(1), sample().content()).toBytes())
        .isNotEqualTo(base);
    assertThat(new Envelope("inst-1", "core", 7, ISSUED, json("{\"z\":2}")).toBytes())
        .isNotEqualTo(base);
  }

  @Test
  void toBytes_doesNotMutateContent() {
    Envelope envelope = sample();
    JsonNode before = envelope.content().deepCopy();

    envelope.toBytes();

    assertThat(envelope.content()).isEqualTo(before);
    assertThat(envelope.content().has("format")).isFalse();
  }

  @Test
  void parse_roundTripsToBytes() throws Exception {
    Envelope original = sample();

    Envelope parsed = Envelope.parse(original.toBytes(), JSON);

    assertThat(parsed).isEqualTo(original);
    assertThat(parsed.toBytes()).isEqualTo(original.toBytes());
  }

  @Test
  void parse_roundTripsNanosecondInstantAndLargeRevision() throws Exception {
    Envelope original =
        new Envelope(
            "i", "n", Long.MAX_VALUE, Instant.parse("2030-01-01T00:00:00.000000001Z"), json("{}"));

    assertThat(Envelope.parse(original.toBytes(), JSON)).isEqualTo(original);
  }

  @Test
  void parse_acceptsNonCanonicalButEquivalentText() throws Exception {
    String pretty =
        "{ \"revision\" : 7, \"namespace\":\"core\", \"instance\":\"inst-1\",\n"
            + " \"format\":\"holdfast-envelope-1\", \"issuedAt\":\"2024-05-06T07:08:09.123Z\",\n"
            + " \"content\": {\"a\":{\"y\":[true,null],\"b\":\"x\"},\"z\":1} }";

    Envelope parsed = Envelope.parse(utf8(pretty), JSON);

    assertThat(parsed).isEqualTo(sample());
    assertThat(parsed.toBytes()).isEqualTo(sample().toBytes());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"holdfast-envelope-2\"", "\"\"", "1", "null", "\"HOLDFAST-ENVELOPE-1\""})
  void parse_wrongFormat_isRejected(String format) {
    assertThat(rejectionKind(withMember("format", format)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"format", "instance", "namespace", "revision", "issuedAt", "content"})
  void parse_missingMember_isRejected(String member) {
    assertThat(rejectionKind(withMember(member, null)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "1", "null", "true"})
  void parse_nonObjectContent_isRejected(String content) {
    assertThat(rejectionKind(withMember("content", content)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "-1", "1.5", "1.0", "\"7\"", "null", "true", "99999999999999999999", "7e0"})
  void parse_badRevision_isRejected(String revision) {
    assertThat(rejectionKind(withMember("revision", revision)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "null", "{}"})
  void parse_nonStringInstanceOrNamespace_isRejected(String value) {
    assertThat(rejectionKind(withMember("instance", value)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(rejectionKind(withMember("namespace", value)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yesterday\"", "\"2024-05-06\"", "\"\"", "1715000000", "null"})
  void parse_badIssuedAt_isRejected(String issuedAt) {
    assertThat(rejectionKind(withMember("issuedAt", issuedAt)))
        .isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"envelope\"", "null", "42"})
  void parse_nonObjectDocument_isRejected(String text) {
    assertThat(rejectionKind(text)).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void parse_duplicateMember_isRejectedAsDuplicateKey() {
    String text =
        new String(sample().toBytes(), StandardCharsets.UTF_8)
            .replace("\"revision\":7", "\"revision\":7,\"revision\":8");

    assertThat(rejectionKind(text)).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
  }

  @Test
  void parse_honoursTheParsersSizeLimit() {
    StrictJson tiny = new StrictJson(32, 32);

    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class, () -> Envelope.parse(sample().toBytes(), tiny));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.TOO_LARGE);
  }

  @Test
  void constructor_rejectsRevisionBelowOneAndNulls() {
    JsonNode content = json("{}");
    assertThatThrownBy(() -> new Envelope("i", "n", 0, ISSUED, content))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope("i", "n", -5, ISSUED, content))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Envelope(null, "n", 1, ISSUED, content))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Envelope("i", null, 1, ISSUED, content))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Envelope("i", "n", 1, null, content))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Envelope("i", "n", 1, ISSUED, null))
        .isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"b\":1,\"a\":{\"z\":[1,2,{\"y\":null}],\"x\":\"\u00e9\u2603 \\\"quoted\\\"\"},\"seats\":12.50}",
        "{\"content\":\"a member named like the envelope's\",\"format\":false}"
      })
  void envelopeBytesFromSharedCanonicalContent_areTheCanonicalBytesOfTheWholeEnvelopeObject(
      String content) throws Exception {
    JsonNode node = MAPPER.readTree(content);
    Instant issuedAt = Instant.parse("2026-11-26T01:02:03.456Z");
    ObjectNode whole = MAPPER.createObjectNode();
    whole.put("revision", 42);
    whole.put("namespace", "core");
    whole.set("content", node);
    whole.put("issuedAt", issuedAt.toString());
    whole.put("instance", "acme-prod");
    whole.put("format", Envelope.FORMAT);

    byte[] shared =
        Envelope.toBytes(
            "acme-prod",
            "core",
            42,
            issuedAt,
            io.holdfast.protocol.json.CanonicalJson.toBytes(node));

    assertThat(new String(shared, StandardCharsets.UTF_8))
        .isEqualTo(io.holdfast.protocol.json.CanonicalJson.toText(whole));
    assertThat(new Envelope("acme-prod", "core", 42, issuedAt, node).toBytes()).isEqualTo(shared);
  }
}
