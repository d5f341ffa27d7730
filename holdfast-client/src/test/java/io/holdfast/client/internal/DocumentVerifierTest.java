package io.holdfast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureHeader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentVerifierTest {

  private static final TestDocuments DOCS = new TestDocuments();
  private static final String CONTENT =
      "{\"seats\":{\"crm\":40},\"support\":{\"email\":\"help@acme.example\"}}";

  private final DocumentVerifier verifier = DOCS.verifier();
  private final TestDocuments.Signed genuine = DOCS.envelope("core", 12, CONTENT);

  private static Map<String, String> headersOf(TestDocuments.Signed signed) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", HoldfastHeaders.ENVELOPE_MEDIA_TYPE);
    headers.put(HoldfastHeaders.REPR_DIGEST, signed.reprDigest());
    headers.put(HoldfastHeaders.SIGNATURE, signed.signature());
    return headers;
  }

  private static Transport.Response with(TestDocuments.Signed signed, String header, String value) {
    Map<String, String> headers = headersOf(signed);
    if (value == null) {
      headers.remove(header);
    } else {
      headers.put(header, value);
    }
    return TestDocuments.response(200, headers, signed.body());
  }

  private void assertRejected(Transport.Response response, String namespace, String message) {
    assertThatThrownBy(() -> verifier.envelope(response, namespace))
        .isInstanceOf(Rejection.class)
        .hasMessage(message);
  }

  @Test
  void genuineDocument_isAccepted_withItsContentAndContentAddressedEtag() throws Rejection {
    VerifiedDocument document = verifier.envelope(genuine.response(), "core");

    assertThat(document.revision()).isEqualTo(12);
    assertThat(document.envelope().instance()).isEqualTo(TestDocuments.INSTANCE);
    assertThat(document.envelope().namespace()).isEqualTo("core");
    assertThat(document.envelope().content()).isEqualTo(TestDocuments.json(CONTENT));
    assertThat(document.body()).isEqualTo(genuine.body());
    assertThat(document.etag())
        .isEqualTo(ContentHash.of(genuine.body()).entityTag().toHeaderValue());
    assertThat(document.reprDigest()).isEqualTo(genuine.reprDigest());
    assertThat(document.signature()).isEqualTo(genuine.signature());
  }

  @Test
  void contentTypeWithParameters_isAccepted() throws Rejection {
    Transport.Response response =
        with(genuine, "Content-Type", HoldfastHeaders.ENVELOPE_MEDIA_TYPE + "; charset=utf-8");

    assertThat(verifier.envelope(response, "core").revision()).isEqualTo(12);
  }

  @Test
  void A9_missingReprDigest_isRejected() {
    assertRejected(with(genuine, HoldfastHeaders.REPR_DIGEST, null), "core", "no Repr-Digest");
  }

  @Test
  void A8_oneFlippedByte_isRejectedByTheDigest() {
    byte[] tampered = genuine.body().clone();
    int at = new String(tampered, StandardCharsets.UTF_8).indexOf("40");
    tampered[at] = '9';
    Transport.Response response = TestDocuments.response(200, headersOf(genuine), tampered);

    assertRejected(response, "core", "Repr-Digest does not match the body");
  }

  @Test
  void D8_flippedByteWithRecomputedDigest_isRejectedByTheSignature() {
    byte[] tampered = genuine.body().clone();
    int at = new String(tampered, StandardCharsets.UTF_8).indexOf("40");
    tampered[at] = '9';
    Map<String, String> headers = headersOf(genuine);
    headers.put(HoldfastHeaders.REPR_DIGEST, ContentHash.of(tampered).reprDigest());

    assertRejected(
        TestDocuments.response(200, headers, tampered), "core", "the signature does not verify");
  }

  @Test
  void A10_md5OnlyDigest_isRejectedAsUnverifiable() {
    String md5 = "md5=:" + Base64.getEncoder().encodeToString(new byte[16]) + ":";

    assertThatThrownBy(
            () -> verifier.envelope(with(genuine, HoldfastHeaders.REPR_DIGEST, md5), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("unverifiable Repr-Digest: ")
        .hasMessageContaining("no accepted algorithm")
        .hasMessageContaining("md5");
  }

  @Test
  void malformedDigest_isRejectedAsUnverifiable() {
    assertThatThrownBy(
            () ->
                verifier.envelope(
                    with(genuine, HoldfastHeaders.REPR_DIGEST, "sha-256=abc"), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("unverifiable Repr-Digest: ");
  }

  @Test
  void D8_missingSignature_isRejected() {
    assertRejected(with(genuine, HoldfastHeaders.SIGNATURE, null), "core", "no Holdfast-Signature");
  }

  @Test
  void malformedSignature_isRejected() {
    assertThatThrownBy(
            () ->
                verifier.envelope(with(genuine, HoldfastHeaders.SIGNATURE, "keyid=\"x\""), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("malformed Holdfast-Signature: ")
        .hasMessageContaining("keyid, alg and sig");
  }

  @Test
  void D8_signatureByAnUntrustedKey_isRejectedNamingTheKey() {
    DocumentSigner stranger = new DocumentSigner(TestDocuments.newKeyPair());
    String signature = stranger.sign(genuine.body()).toHeaderValue();

    assertRejected(
        with(genuine, HoldfastHeaders.SIGNATURE, signature),
        "core",
        "signed by key '" + stranger.verificationKey().keyId() + "', which is not trusted");
  }

  @Test
  void signatureOverOtherBytes_byTheTrustedKey_doesNotVerify() {
    String signature = DOCS.signer().sign("{}".getBytes(StandardCharsets.UTF_8)).toHeaderValue();

    assertRejected(
        with(genuine, HoldfastHeaders.SIGNATURE, signature),
        "core",
        "the signature does not verify");
  }

  @Test
  void D17_algNoneDowngrade_withTheTrustedKeyId_doesNotVerify() {
    SignatureHeader real = SignatureHeader.parse(genuine.signature());
    String downgraded = new SignatureHeader(real.keyId(), "none", real.signature()).toHeaderValue();

    assertRejected(
        with(genuine, HoldfastHeaders.SIGNATURE, downgraded),
        "core",
        "the signature does not verify");
  }

  @Test
  void C14_htmlContentType_isRejectedBeforeParsing() {
    assertRejected(
        with(genuine, "Content-Type", "text/html; charset=utf-8"),
        "core",
        "unexpected Content-Type text/html; charset=utf-8 (a proxy or captive portal?)");
  }

  @Test
  void C14_missingContentType_isRejected() {
    assertRejected(
        with(genuine, "Content-Type", null),
        "core",
        "unexpected Content-Type null (a proxy or captive portal?)");
  }

  @Test
  void A6_emptyBody_isRejected() {
    TestDocuments.Signed empty = DOCS.sign(new byte[0]);

    assertRejected(empty.response(), "core", "empty body");
  }

  @Test
  void A5_non200_isRejected() {
    Transport.Response response = TestDocuments.response(503, headersOf(genuine), genuine.body());

    assertRejected(response, "core", "HTTP 503");
  }

  @Test
  void B3_envelopeForAnotherInstance_isRejected_evenThoughGenuinelySigned() {
    TestDocuments.Signed foreign =
        DOCS.envelope("globex-prod", "core", 12, TestDocuments.json(CONTENT));

    assertRejected(
        foreign.response(), "core", "the document is for instance 'globex-prod', not 'acme-prod'");
  }

  @Test
  void envelopeForAnotherNamespace_isRejected() {
    TestDocuments.Signed features = DOCS.envelope("features", 12, CONTENT);

    assertRejected(
        features.response(), "core", "the document is for namespace 'features', not 'core'");
  }

  @Test
  void malformedEnvelopeJson_signedAndDigested_isRejectedAsNotAnEnvelope() {
    TestDocuments.Signed garbage =
        DOCS.sign("{\"format\":\"holdfast-envelope-1\",".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> verifier.envelope(garbage.response(), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("not a valid envelope: ");
  }

  @Test
  void C8_duplicateKeysInASignedEnvelope_areRejected() {
    String body =
        new String(genuine.body(), StandardCharsets.UTF_8)
            .replace("{\"seats\":{\"crm\":40}", "{\"seats\":{\"crm\":40,\"crm\":0}");
    TestDocuments.Signed duplicated = DOCS.sign(body.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> verifier.envelope(duplicated.response(), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("not a valid envelope: ");
  }

  @Test
  void otherJsonShape_signed_isRejectedAsNotAnEnvelope() {
    TestDocuments.Signed other =
        DOCS.sign("{\"error\":\"maintenance\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> verifier.envelope(other.response(), "core"))
        .isInstanceOf(Rejection.class)
        .hasMessage("not a valid envelope: envelope member format must be a string");
  }

  @Test
  void stored_verifiesBytesAndHeadersFromDisk_likeAResponse() throws Rejection {
    VerifiedDocument document =
        verifier.stored(genuine.body(), genuine.reprDigest(), genuine.signature(), "core");

    assertThat(document.revision()).isEqualTo(12);
    assertThatThrownBy(
            () ->
                verifier.stored(
                    genuine.body(), genuine.reprDigest(), genuine.signature(), "features"))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("namespace 'core'");
  }

  @Test
  void checksums_genuine_areAccepted() throws Rejection {
    Checksums.Entry entry = new Checksums.Entry(12, genuine.etag(), genuine.reprDigest());
    TestDocuments.Signed signed = DOCS.checksums(TestDocuments.INSTANCE, Map.of("core", entry));

    Checksums checksums = verifier.checksums(signed.response());

    assertThat(checksums.instance()).isEqualTo(TestDocuments.INSTANCE);
    assertThat(checksums.namespaces()).containsEntry("core", entry);
  }

  @Test
  void B3_checksumsOfAnotherInstance_areRejected() {
    Checksums.Entry entry = new Checksums.Entry(12, genuine.etag(), genuine.reprDigest());
    TestDocuments.Signed signed = DOCS.checksums("globex-prod", Map.of("core", entry));

    assertThatThrownBy(() -> verifier.checksums(signed.response()))
        .isInstanceOf(Rejection.class)
        .hasMessage("the checksums are for instance 'globex-prod', not 'acme-prod'");
  }

  @Test
  void A9_checksumsWithoutDigest_orUnsigned_orNotFound_areRejected() {
    Checksums.Entry entry = new Checksums.Entry(12, genuine.etag(), genuine.reprDigest());
    TestDocuments.Signed signed = DOCS.checksums(TestDocuments.INSTANCE, Map.of("core", entry));

    assertThatThrownBy(() -> verifier.checksums(with(signed, HoldfastHeaders.REPR_DIGEST, null)))
        .isInstanceOf(Rejection.class)
        .hasMessage("no Repr-Digest");
    assertThatThrownBy(() -> verifier.checksums(with(signed, HoldfastHeaders.SIGNATURE, null)))
        .isInstanceOf(Rejection.class)
        .hasMessage("no Holdfast-Signature");
    assertThatThrownBy(
            () -> verifier.checksums(TestDocuments.response(404, headersOf(signed), signed.body())))
        .isInstanceOf(Rejection.class)
        .hasMessage("HTTP 404");
  }

  @Test
  void anEnvelopeServedAsChecksums_isRejected() {
    assertThatThrownBy(() -> verifier.checksums(genuine.response()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("not a valid checksums document: ");
  }
}
