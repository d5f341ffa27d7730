package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReprDigestTest {

  private static final byte[] BODY = "{\"content\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);

  private static String field(String alg, String javaAlg, byte[] bytes) throws Exception {
    return alg
        + "=:"
        + Base64.getEncoder().encodeToString(MessageDigest.getInstance(javaAlg).digest(bytes))
        + ":";
  }

  @Test
  void verify_matchingSha256_isTrue() throws Exception {
    assertThat(ReprDigest.verify(field("sha-256", "SHA-256", BODY), BODY)).isTrue();
  }

  @Test
  void verify_matchingSha512_isTrue() throws Exception {
    assertThat(ReprDigest.verify(field("sha-512", "SHA-512", BODY), BODY)).isTrue();
  }

  @Test
  void A8_oneFlippedByte_failsVerification() throws Exception {
    String field = field("sha-256", "SHA-256", BODY);
    byte[] tampered = BODY.clone();
    tampered[tampered.length / 2] ^= 0x01;

    assertThat(ReprDigest.verify(field, tampered)).isFalse();
  }

  @Test
  void A8_flippedByteInDigestItself_failsVerification() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(BODY);
    digest[0] ^= 0x01;
    String field = "sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":";

    assertThat(ReprDigest.verify(field, BODY)).isFalse();
  }

  @Test
  void A8_truncatedDigest_failsVerification() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(BODY);
    String field =
        "sha-256=:" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(digest, 16)) + ":";

    assertThat(ReprDigest.verify(field, BODY)).isFalse();
  }

  @Test
  void verify_prefersSha512WhenBothOffered() throws Exception {
    String wrong512 = field("sha-512", "SHA-512", "other".getBytes(StandardCharsets.UTF_8));
    String right256 = field("sha-256", "SHA-256", BODY);

    assertThat(ReprDigest.verify(right256 + ", " + wrong512, BODY)).isFalse();
    assertThat(ReprDigest.verify(field("sha-512", "SHA-512", BODY) + ", " + right256, BODY))
        .isTrue();
  }

  @Test
  void verify_ignoresInsecureAlgorithmsAlongsideAnAcceptedOne() throws Exception {
    String field = "md5=:AAAAAAAAAAAAAAAAAAAAAA==:, " + field("sha-256", "SHA-256", BODY);

    assertThat(ReprDigest.verify(field, BODY)).isTrue();
  }

  @Test
  void A10_md5Only_isRejectedAsUnverifiable() throws Exception {
    String md5 = field("md5", "MD5", BODY);

    assertThatThrownBy(() -> ReprDigest.verify(md5, BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no accepted algorithm");
  }

  @Test
  void A10_crc32cOnly_isRejectedAsUnverifiable() {
    assertThatThrownBy(() -> ReprDigest.verify("crc32c=:AAAAAA==:", BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no accepted algorithm");
  }

  @Test
  void D17_shaAndMd5Downgrade_isRejected() throws Exception {
    String field = field("sha", "SHA-1", BODY) + ", " + field("md5", "MD5", BODY);

    assertThatThrownBy(() -> ReprDigest.verify(field, BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void A10_unknownAlgorithmOnly_isRejected() {
    assertThatThrownBy(() -> ReprDigest.verify("blake9=:AAAA:", BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " , ,",
        "sha-256",
        "sha-256=",
        "sha-256=:",
        "=:AAAA:",
        "sha-256=AAAA",
        "sha-256=:AAAA",
        "sha-256=AAAA:",
        "sha-256=\"AAAA\"",
        "sha-256=:!!!!:",
        "sha-256=:A:",
        "sha-256=:-_-_:",
      })
  void malformedField_isRejected(String value) {
    assertThatThrownBy(() -> ReprDigest.verify(value, BODY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReprDigest.parse(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_returnsEveryMemberWithDecodedBytes() {
    Map<String, byte[]> parsed = ReprDigest.parse("sha-256=:AQID:, unknown=:BAU=:");

    assertThat(parsed).containsOnlyKeys("sha-256", "unknown");
    assertThat(parsed.get("sha-256")).containsExactly(1, 2, 3);
    assertThat(parsed.get("unknown")).containsExactly(4, 5);
  }

  @Test
  void parse_lowerCasesAlgorithmNamesAndSkipsEmptyMembers() {
    Map<String, byte[]> parsed = ReprDigest.parse(" , SHA-256=:AQID: ,");

    assertThat(parsed).containsOnlyKeys("sha-256");
  }

  @Test
  void contentHashField_verifies() {
    assertThat(ReprDigest.verify(ContentHash.of(BODY).reprDigest(), BODY)).isTrue();
  }
}
