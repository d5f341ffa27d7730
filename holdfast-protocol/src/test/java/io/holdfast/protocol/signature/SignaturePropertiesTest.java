package io.holdfast.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class SignaturePropertiesTest {

  private static final DocumentSigner SIGNER;

  static {
    try {
      SIGNER = new DocumentSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 200)
  void anySignedBytes_verify_andAnyFlipFails(
      @ForAll @Size(min = 1, max = 200) byte[] bytes, @ForAll int position) {
    SignatureHeader header = SignatureHeader.parse(SIGNER.sign(bytes).toHeaderValue());
    byte[] tampered = bytes.clone();
    tampered[Math.floorMod(position, tampered.length)] ^= 0x40;

    assertThat(SIGNER.verificationKey().verifies(bytes, header)).isTrue();
    assertThat(SIGNER.verificationKey().verifies(tampered, header)).isFalse();
  }

  @Property
  void headerFormatParse_roundTrips(
      @ForAll @StringLength(max = 30) String keyIdSeed, @ForAll @Size(max = 80) byte[] signature) {
    // Key ids and algorithms are tokens: no quotes or commas.
    String keyId = keyIdSeed.replaceAll("[^A-Za-z0-9._-]", "x");
    SignatureHeader header = new SignatureHeader(keyId, "ed25519", signature);

    SignatureHeader parsed = SignatureHeader.parse(header.toHeaderValue());

    assertThat(parsed.keyId()).isEqualTo(keyId);
    assertThat(parsed.algorithm()).isEqualTo("ed25519");
    assertThat(parsed.signature()).isEqualTo(signature);
  }

  @Property
  void parse_anyString_returnsOrThrowsIllegalArgumentExceptionOnly(
      @ForAll @StringLength(max = 60) String value) {
    Throwable thrown = catchThrowable(() -> SignatureHeader.parse(value));

    if (thrown != null) {
      assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }
}
