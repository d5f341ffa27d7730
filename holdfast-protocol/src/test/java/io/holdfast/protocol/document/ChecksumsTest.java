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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumsTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final StrictJson JSON = new StrictJson(1 << 16, 16);

  private static Checksums.Entry entry(long revision, String body) {
    ContentHash hash = ContentHash.of(body.getBytes(StandardCharsets.UTF_8));
    return new Checksums.Entry(revision, hash.entityTag().toHeaderValue(), hash.reprDigest());
  }

  /** The bytes as a tree made canonical: what toBytes gave before it wrote members in order. */
  private static byte[] asCanonicalTree(Checksums checksums) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("format", Checksums.FORMAT);
    node.put("instance", checksums.instance());
    node.put("revision", checksums.revision());
    checksums
        .validity()
        .ifPresent(
            window -> {
              node.put("issuedAt", window.issuedAt().toString());
              node.put("expires", window.expires().toString());
            });
    if (checksums.keySetVersion() > 0) {
      node.put("keySetVersion", checksums.keySetVersion());
    }
    ObjectNode entries = node.putObject("namespaces");
    checksums
        .namespaces()
        .forEach(
            (name, e) ->
                entries
                    .putObject(name)
                    .put("revision", e.revision())
                    .put("etag", e.etag())
                    .put("digest", e.digest()));
    return io.holdfast.protocol.json.CanonicalJson.toBytes(node);
  }

  @ParameterizedTest
  @ValueSource(strings = {"inst-1", "é\"q\u0001 ü", "\uD83D\uDE00-𝄞", ""})
  void toBytes_areTheCanonicalBytesOfTheTree_withAndWithoutStatementAndKeySet(String name) {
    TreeMap<String, Checksums.Entry> namespaces = new TreeMap<>();
    namespaces.put("core", entry(12, "{\"c\":1}"));
    namespaces.put(name.isEmpty() ? "z" : name, entry(3, name));
    namespaces.put("Zeta\u00e9", entry(Long.MAX_VALUE, "{}"));
    namespaces.put("\uFB01x", entry(1, "{}")); // sorts after a surrogate pair by UTF-16 units
    Checksums.Validity window =
        new Checksums.Validity(
            Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-01T00:10:00.5Z"));
    for (Checksums checksums :
        new Checksums[] {
          new Checksums(name, 15, namespaces),
          new Checksums(name, 15, namespaces, Optional.of(window), 0),
          new Checksums(name, 1, namespaces, Optional.of(window), 7),
          new Checksums(name, 2, new TreeMap<>(), Optional.empty(), 3)
        }) {
      assertThat(new String(checksums.toBytes(), StandardCharsets.UTF_8))
          .isEqualTo(new String(asCanonicalTree(checksums), StandardCharsets.UTF_8));
    }
  }

  private static Checksums sample() {
    Map<String, Checksums.Entry> namespaces = new LinkedHashMap<>();
    namespaces.put("flags", entry(3, "{\"f\":true}"));
    namespaces.put("core", entry(12, "{\"c\":1}"));
    return new Checksums("inst-1", 15, new TreeMap<>(namespaces));
  }

  private static JsonInputException.Kind rejectionKind(String text) {
    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class,
            () -> Checksums.parse(text.getBytes(StandardCharsets.UTF_8), JSON));
    assertThat(e).as("expected rejection of %s", text).isNotNull();
    return e.kind();
  }

  private static ObjectNode sampleTree() throws Exception {
    return (ObjectNode) MAPPER.readTree(sample().toBytes());
  }

  @Test
  void parse_roundTripsToBytes() throws Exception {
    Checksums original = sample();

    Checksums parsed = Checksums.parse(original.toBytes(), JSON);

    assertThat(parsed).isEqualTo(original);
    assertThat(parsed.namespaces()).containsOnlyKeys("core", "flags");
    assertThat(parsed.namespaces().get("core")).isEqualTo(original.namespaces().get("core"));
    assertThat(parsed.toBytes()).isEqualTo(original.toBytes());
  }

  @Test
  void parse_roundTripsEmptyNamespaceMap() throws Exception {
    Checksums empty = new Checksums("i", 1, new TreeMap<>());

    assertThat(Checksums.parse(empty.toBytes(), JSON)).isEqualTo(empty);
  }

  @Test
  void toBytes_isCanonicalAndIndependentOfInsertionOrder() throws Exception {
    Map<String, Checksums.Entry> reversed = new HashMap<>();
    reversed.put("core", entry(12, "{\"c\":1}"));
    reversed.put("flags", entry(3, "{\"f\":true}"));
    Checksums other = new Checksums("inst-1", 15, new TreeMap<>(reversed));

    assertThat(other.toBytes()).isEqualTo(sample().toBytes());
    String text = new String(sample().toBytes(), StandardCharsets.UTF_8);
    assertThat(text)
        .startsWith(
            "{\"format\":\"holdfast-checksums-1\",\"instance\":\"inst-1\",\"namespaces\":{\"core\":{\"digest\":");
    assertThat(text).doesNotContain(" ", "\n");
  }

  @Test
  void namespaces_areImmutableAndCopied() {
    TreeMap<String, Checksums.Entry> source = new TreeMap<>();
    source.put("core", entry(1, "x"));
    Checksums checksums = new Checksums("i", 1, source);
    source.put("late", entry(2, "y"));

    assertThat(checksums.namespaces()).containsOnlyKeys("core");
    assertThatThrownBy(() -> checksums.namespaces().put("x", entry(1, "z")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"revision", "etag", "digest"})
  void parse_entryMissingAMember_isRejectedAsIncomplete(String member) throws Exception {
    ObjectNode tree = sampleTree();
    ((ObjectNode) tree.get("namespaces").get("core")).remove(member);

    JsonInputException e =
        catchThrowableOfType(
            JsonInputException.class,
            () -> Checksums.parse(tree.toString().getBytes(StandardCharsets.UTF_8), JSON));

    assertThat(e.kind()).isEqualTo(JsonInputException.Kind.MALFORMED);
    assertThat(e.getMessage()).contains("core").contains("incomplete");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"revision\":\"3\"}",
        "{\"etag\":3}",
        "{\"digest\":null}",
        "{\"revision\":true}"
      })
  void parse_entryWithWrongTypes_isRejected(String override) throws Exception {
    ObjectNode tree = sampleTree();
    ObjectNode core = (ObjectNode) tree.get("namespaces").get("core");
    MAPPER.readTree(override).properties().forEach(e -> core.set(e.getKey(), e.getValue()));

    assertThat(rejectionKind(tree.toString())).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"revision\":2.9}",
        "{\"revision\":-1}",
        "{\"revision\":0}",
        "{\"revision\":1e3}"
      })
  void parse_entryRevisionThatIsNotAPositiveWholeNumber_isRejectedNotTruncated(String override)
      throws Exception {
    ObjectNode tree = sampleTree();
    ObjectNode core = (ObjectNode) tree.get("namespaces").get("core");
    MAPPER.readTree(override).properties().forEach(e -> core.set(e.getKey(), e.getValue()));

    assertThat(rejectionKind(tree.toString())).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"x\"", "1", "[]", "null"})
  void parse_entryThatIsNotAnObject_isRejected(String entry) throws Exception {
    ObjectNode tree = sampleTree();
    ((ObjectNode) tree.get("namespaces")).set("core", MAPPER.readTree(entry));

    assertThat(rejectionKind(tree.toString())).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"format", "instance", "revision", "namespaces"})
  void parse_missingTopLevelMember_isRejected(String member) throws Exception {
    ObjectNode tree = sampleTree();
    tree.remove(member);

    assertThat(rejectionKind(tree.toString())).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void parse_envelopeFormat_isRejected() throws Exception {
    ObjectNode tree = sampleTree();
    tree.put("format", "holdfast-envelope-1");

    assertThat(rejectionKind(tree.toString())).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "\"x\"",
        "{}",
        "{\"format\":\"holdfast-checksums-1\",\"instance\":1,\"revision\":1,\"namespaces\":{}}",
        "{\"format\":\"holdfast-checksums-1\",\"instance\":\"i\",\"revision\":1,\"namespaces\":[]}"
      })
  void parse_wrongShape_isRejected(String text) {
    assertThat(rejectionKind(text)).isEqualTo(JsonInputException.Kind.MALFORMED);
  }

  @Test
  void parse_duplicateNamespace_isRejectedAsDuplicateKey() {
    String text =
        new String(sample().toBytes(), StandardCharsets.UTF_8)
            .replace(
                "\"namespaces\":{",
                "\"namespaces\":{\"core\":{\"revision\":1,\"etag\":\"x\",\"digest\":\"y\"},");

    assertThat(rejectionKind(text)).isEqualTo(JsonInputException.Kind.DUPLICATE_KEY);
  }

  @Test
  void entry_rejectsNulls() {
    assertThatThrownBy(() -> new Checksums.Entry(1, null, "d"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Checksums.Entry(1, "e", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Checksums(null, 1, new TreeMap<>()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void entriesCarryTheValidatorsOfTheirDocument() throws Exception {
    JsonNode core = sampleTree().get("namespaces").get("core");

    assertThat(core.get("etag").asText())
        .isEqualTo(
            ContentHash.of("{\"c\":1}".getBytes(StandardCharsets.UTF_8))
                .entityTag()
                .toHeaderValue());
    assertThat(core.get("revision").asLong()).isEqualTo(12);
  }

  @Test
  void aFreshnessStatementAndKeySetVersion_roundTrip_andAreSigned() throws Exception {
    Instant issued = Instant.parse("2026-12-06T12:00:00Z");
    Checksums.Validity window = new Checksums.Validity(issued, issued.plusSeconds(86_400));
    Checksums stated = new Checksums("inst-1", 15, sample().namespaces(), Optional.of(window), 4);

    Checksums parsed = Checksums.parse(stated.toBytes(), JSON);

    assertThat(parsed).isEqualTo(stated);
    assertThat(parsed.toBytes()).isEqualTo(stated.toBytes());
    assertThat(stated.toBytes()).isNotEqualTo(sample().toBytes());
    assertThat(window.expiredAt(issued.plusSeconds(86_399))).isFalse();
    assertThat(window.expiredAt(issued.plusSeconds(86_400))).isTrue();
  }

  @Test
  void checksumsOfOlderReplicas_withoutStatementOrKeySet_stillParse() throws Exception {
    Checksums parsed = Checksums.parse(sample().toBytes(), JSON);

    assertThat(parsed.validity()).isEmpty();
    assertThat(parsed.keySetVersion()).isZero();
    assertThat(new String(sample().toBytes(), StandardCharsets.UTF_8))
        .doesNotContain("expires")
        .doesNotContain("keySetVersion");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"expires\":\"2026-12-07T00:00:00Z\"",
        "\"issuedAt\":\"2026-12-06T00:00:00Z\"",
        "\"issuedAt\":\"2026-12-07T00:00:00Z\",\"expires\":\"2026-12-07T00:00:00Z\"",
        "\"issuedAt\":\"2026-12-06T00:00:00Z\",\"expires\":1765000000",
        "\"issuedAt\":\"yesterday\",\"expires\":\"2026-12-07T00:00:00Z\"",
        "\"keySetVersion\":0",
        "\"keySetVersion\":2.5",
        "\"keySetVersion\":\"3\""
      })
  void aHalfOrMalformedStatement_isRefused(String members) {
    String text =
        "{\"format\":\"holdfast-checksums-1\",\"instance\":\"i\",\"revision\":1,"
            + members
            + ",\"namespaces\":{}}";

    assertThat(rejectionKind(text)).isEqualTo(JsonInputException.Kind.MALFORMED);
  }
}
