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
import java.util.Random;
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
  void strings_escapeQuotesBackslashesControlAndNonAsciiCharacters_soTheEventStaysAscii()
      throws Exception {
    String value = "a\"b\\c\u0001d\u00e9";
    byte[] out = new byte[ChecksumsEvent.stringLength(value) + 2];

    int end = ChecksumsEvent.string(out, 1, value);

    String written = new String(out, 1, end - 1, StandardCharsets.US_ASCII);
    assertThat(end).isEqualTo(out.length - 1);
    assertThat(written).isEqualTo("\"a\\\"b\\\\c\\u0001d\\u00e9\"");
    assertThat(JSON.readTree(written).asText()).isEqualTo(value);
  }

  @Test
  void base64_isTheStandardPaddedEncoding_atAnOffset_forEveryRemainder() {
    Random random = new Random(21);
    for (int length = 0; length <= 64; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String expected = Base64.getEncoder().encodeToString(bytes);
      byte[] out = new byte[expected.length() + 3];

      int end = ChecksumsEvent.base64(out, 3, bytes);

      assertThat(end).as("end for %d bytes", length).isEqualTo(out.length);
      assertThat(new String(out, 3, expected.length(), StandardCharsets.US_ASCII))
          .as("base64 of %d bytes", length)
          .isEqualTo(expected);
    }
  }

  @Test
  void encode_isExactlyTheEventOfItsParts_whateverTheBodysLength() throws Exception {
    DocumentSigner signer =
        new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    Instant since = Instant.parse("2026-12-07T01:02:03Z");
    for (int length = 1; length <= 7; length++) {
      byte[] body = "{\"a\":\"xxxxxxx\"}".substring(0, 8 + length).getBytes(StandardCharsets.UTF_8);
      ServedDocument checksums = ServedDocument.of(body, 7, since, signer);

      String event = new String(ChecksumsEvent.encode(checksums, since), StandardCharsets.US_ASCII);

      assertThat(event)
          .isEqualTo(
              "event: checksums\nid: "
                  + checksums.etagHeaderValue()
                  + "\ndata: {\"etag\":"
                  + JSON.writeValueAsString(checksums.etagHeaderValue())
                  + ",\"revision\":\"7\",\"reprDigest\":"
                  + JSON.writeValueAsString(checksums.reprDigest())
                  + ",\"signature\":"
                  + JSON.writeValueAsString(checksums.signature())
                  + ",\"storeUnreachableSince\":\"2026-12-07T01:02:03Z\",\"body\":\""
                  + Base64.getEncoder().encodeToString(body)
                  + "\"}\n\n");
    }
  }
}
