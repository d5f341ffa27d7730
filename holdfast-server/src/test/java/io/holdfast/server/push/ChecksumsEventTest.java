package io.holdfast.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.snapshot.ServedDocument;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The wire form of one checksums event: SSE framing around JSON that any parser reads back. */
class ChecksumsEventTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ServedDocument checksums() throws Exception {
    byte[] body = "{\"documents\":{\"core\":\"sha-256=:x:\"}}".getBytes(StandardCharsets.UTF_8);
    return ServedDocument.of(
        body,
        42,
        Instant.parse("2026-12-07T00:00:00Z"),
        new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()));
  }

  private static JsonNode data(String event) throws Exception {
    String line =
        event.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
    return JSON.readTree(line);
  }

  @Test
  void encode_carriesTheHeaderValuesAndTheExactBody_asJsonThatParsesBack() throws Exception {
    ServedDocument checksums = checksums();

    String event = new String(ChecksumsEvent.encode(checksums, null), StandardCharsets.US_ASCII);

    assertThat(event)
        .startsWith("event: checksums\nid: " + checksums.etagHeaderValue() + "\ndata: {")
        .endsWith("}\n\n");
    JsonNode data = data(event);
    assertThat(data.path("etag").asText())
        .as("the ETag's quotes escaped and restored")
        .isEqualTo(checksums.etagHeaderValue());
    assertThat(data.path("revision").asText()).isEqualTo("42");
    assertThat(data.path("reprDigest").asText()).isEqualTo(checksums.reprDigest());
    assertThat(data.path("signature").asText()).isEqualTo(checksums.signature());
    assertThat(Base64.getDecoder().decode(data.path("body").asText())).isEqualTo(checksums.body());
    assertThat(data.has("storeUnreachableSince")).isFalse();
  }

  @Test
  void encode_saysSinceWhenTheStoreIsUnreachable() throws Exception {
    Instant since = Instant.parse("2026-12-07T01:02:03Z");

    JsonNode data =
        data(new String(ChecksumsEvent.encode(checksums(), since), StandardCharsets.US_ASCII));

    assertThat(data.path("storeUnreachableSince").asText()).isEqualTo(since.toString());
  }

  @Test
  void field_escapesQuotesBackslashesControlAndNonAsciiCharacters_soTheEventStaysAscii()
      throws Exception {
    String value = "a\"b\\c\u0001d\u00e9";

    String field = ChecksumsEvent.field(new StringBuilder(), "x", value).toString();

    assertThat(field).isEqualTo("\"x\":\"a\\\"b\\\\c\\u0001d\\u00e9\"");
    assertThat(JSON.readTree("{" + field + "}").path("x").asText()).isEqualTo(value);
  }
}
