package io.holdfast.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureHeaderTest {

  private static final byte[] SIG = {0, 1, 2, (byte) 0xfe, (byte) 0xff, 42};

  @Test
  void toHeaderValue_hasDocumentedForm() {
    SignatureHeader header = new SignatureHeader("hf1-0123456789abcdef", "ed25519", SIG);

    assertThat(header.toHeaderValue())
        .isEqualTo(
            "keyid=\"hf1-0123456789abcdef\", alg=\"ed25519\", sig=:"
                + Base64.getEncoder().encodeToString(SIG)
                + ":");
  }

  @Test
  void parseOfFormat_roundTrips() {
    SignatureHeader header = new SignatureHeader("hf1-0123456789abcdef", "ed25519", SIG);

    SignatureHeader parsed = SignatureHeader.parse(header.toHeaderValue());

    assertThat(parsed.keyId()).isEqualTo(header.keyId());
    assertThat(parsed.algorithm()).isEqualTo(header.algorithm());
    assertThat(parsed.signature()).isEqualTo(SIG);
    assertThat(parsed.toHeaderValue()).isEqualTo(header.toHeaderValue());
  }

  @Test
  void parse_acceptsAnyMemberOrderCaseAndSpacing() {
    String b64 = Base64.getEncoder().encodeToString(SIG);
    SignatureHeader parsed =
        SignatureHeader.parse("  SIG = :" + b64 + ": ,Alg=\"ed25519\",KEYID=\"k1\"  ");

    assertThat(parsed.keyId()).isEqualTo("k1");
    assertThat(parsed.algorithm()).isEqualTo("ed25519");
    assertThat(parsed.signature()).isEqualTo(SIG);
  }

  @Test
  void parse_keepsUnknownAlgorithmSoThatVerificationCanRefuseIt() {
    assertThat(SignatureHeader.parse("keyid=\"k\", alg=\"none\", sig=::").algorithm())
        .isEqualTo("none");
  }

  @Test
  void signatureBytes_areDefensivelyCopied() {
    byte[] input = SIG.clone();
    SignatureHeader header = new SignatureHeader("k", "ed25519", input);
    input[0] = 99;
    header.signature()[1] = 99;

    assertThat(header.signature()).isEqualTo(SIG);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "garbage",
        "keyid=\"k\", alg=\"ed25519\"", // no sig
        "alg=\"ed25519\", sig=:AAAA:", // no keyid
        "keyid=\"k\", sig=:AAAA:", // no alg
        "keyid=k, alg=\"ed25519\", sig=:AAAA:", // unquoted keyid
        "keyid=\"k\", alg=\"ed25519\", sig=AAAA", // sig not a byte sequence
        "keyid=\"k\", alg=\"ed25519\", sig=:!!!!:", // sig not base64
        "keyid=\"k\", alg=\"ed25519\", sig=:AAAA", // unterminated byte sequence
        "keyid=\"k, alg=\"ed25519\", sig=:AAAA:", // unterminated string
        "keyid=\"k\", keyid=\"j\", alg=\"ed25519\", sig=:AAAA:", // duplicate member
        "keyid=\"k\",, alg=\"ed25519\", sig=:AAAA:", // empty member
        "=\"k\", alg=\"ed25519\", sig=:AAAA:", // empty name
        "keyid=\"k\", alg=\"ed25519\", sig=\"", // lone quote
        "keyid=\"k\", alg=\"ed25519\", sig=:", // lone colon
      })
  void parse_malformedValue_throwsIllegalArgumentException(String value) {
    assertThatThrownBy(() -> SignatureHeader.parse(value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_rejectsNulls() {
    assertThatThrownBy(() -> new SignatureHeader(null, "ed25519", SIG))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SignatureHeader("k", null, SIG))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SignatureHeader("k", "ed25519", null))
        .isInstanceOf(NullPointerException.class);
  }
}
