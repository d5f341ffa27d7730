package io.holdfast.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ContentHashTest {

  private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  @Test
  void entityTag_isStrongBase64UrlOfSha256WithoutPadding() throws Exception {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    EntityTag tag = ContentHash.of(body).entityTag();

    assertThat(tag.weak()).isFalse();
    assertThat(tag.opaque())
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(body)));
    assertThat(tag.opaque()).hasSize(43).doesNotContain("=", "+", "/");
  }

  @Test
  void entityTag_usesUrlAlphabet() throws Exception {
    // Find an input whose digest base64 needs '+' or '/' in the standard alphabet, so that the
    // test would notice a switch to the standard encoder.
    for (int i = 0; ; i++) {
      byte[] body = ("probe-" + i).getBytes(StandardCharsets.UTF_8);
      String standard = Base64.getEncoder().withoutPadding().encodeToString(sha256(body));
      if (standard.contains("+") || standard.contains("/")) {
        String opaque = ContentHash.of(body).entityTag().opaque();
        assertThat(opaque).doesNotContain("+", "/");
        assertThat(opaque).isEqualTo(standard.replace('+', '-').replace('/', '_'));
        return;
      }
    }
  }

  @Test
  void emptyBody_hasWellKnownDigest() {
    ContentHash hash = ContentHash.of(new byte[0]);

    assertThat(hash.hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(hash.entityTag().opaque()).isEqualTo("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    assertThat(hash.reprDigest())
        .isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
    assertThat(hash.toString()).isEqualTo("sha-256:" + hash.hex());
  }

  @Test
  void hex_isLowerCaseHexOfDigest() throws Exception {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);

    assertThat(ContentHash.of(body).hex()).isEqualTo(HexFormat.of().formatHex(sha256(body)));
  }

  @Test
  void sha256_returnsDefensiveCopy() throws Exception {
    byte[] body = "x".getBytes(StandardCharsets.UTF_8);
    ContentHash hash = ContentHash.of(body);

    byte[] copy = hash.sha256();
    copy[0] ^= 1;

    assertThat(hash.sha256()).isEqualTo(sha256(body));
  }

  @Test
  void reprDigest_isStandardBase64InColons() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);

    assertThat(ContentHash.of(body).reprDigest())
        .isEqualTo("sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":");
  }

  @Test
  void reprDigest_verifiesAgainstSameBytes() {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);

    assertThat(ReprDigest.verify(ContentHash.of(body).reprDigest(), body)).isTrue();
  }

  @Test
  void A11_sameBytes_giveSameTagAcrossInstances() {
    byte[] a = "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8);
    byte[] b = a.clone();

    assertThat(ContentHash.of(a).entityTag()).isEqualTo(ContentHash.of(b).entityTag());
    assertThat(ContentHash.of(a)).isEqualTo(ContentHash.of(b)).hasSameHashCodeAs(ContentHash.of(b));
  }

  @Test
  void oneByteDifference_givesDifferentTag() {
    byte[] a = "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8);
    byte[] b = a.clone();
    b[5] ^= 0x01;

    assertThat(ContentHash.of(a).entityTag()).isNotEqualTo(ContentHash.of(b).entityTag());
    assertThat(ContentHash.of(a)).isNotEqualTo(ContentHash.of(b));
  }
}
