package io.holdfast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Genuinely signed Holdfast documents for tests: a fresh Ed25519 key, envelopes serialised and
 * signed exactly as a replica does, and the {@code Repr-Digest} and signature headers.
 */
public final class TestDocuments {

  public static final String INSTANCE = "acme-prod";
  public static final Instant ISSUED_AT = Instant.parse("2026-02-01T09:30:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Exact bytes and the headers a replica sends with them. */
  public record Signed(byte[] body, String reprDigest, String signature) {

    public String etag() {
      return ContentHash.of(body).entityTag().toHeaderValue();
    }

    /** A 200 with the envelope media type and both headers. */
    public Transport.Response response() {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", HoldfastHeaders.ENVELOPE_MEDIA_TYPE);
      headers.put(HoldfastHeaders.REPR_DIGEST, reprDigest);
      headers.put(HoldfastHeaders.SIGNATURE, signature);
      return TestDocuments.response(200, headers, body);
    }
  }

  private final DocumentSigner signer;

  public TestDocuments() {
    this.signer = new DocumentSigner(newKeyPair());
  }

  public static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public DocumentSigner signer() {
    return signer;
  }

  public VerificationKey key() {
    return signer.verificationKey();
  }

  public static StrictJson strictJson() {
    return new StrictJson(1 << 20, 64);
  }

  /** A verifier for {@link #INSTANCE} that trusts only this key. */
  public DocumentVerifier verifier() {
    return new DocumentVerifier(Map.of(key().keyId(), key()), INSTANCE, strictJson());
  }

  /** Signs arbitrary bytes, with the digest of the same bytes. */
  public Signed sign(byte[] body) {
    return new Signed(
        body.clone(), ContentHash.of(body).reprDigest(), signer.sign(body).toHeaderValue());
  }

  public Signed envelope(String instance, String namespace, long revision, JsonNode content) {
    return sign(new Envelope(instance, namespace, revision, ISSUED_AT, content).toBytes());
  }

  public Signed envelope(String namespace, long revision, String contentJson) {
    return envelope(INSTANCE, namespace, revision, json(contentJson));
  }

  public Signed checksums(String instance, Map<String, Checksums.Entry> entries) {
    return sign(new Checksums(instance, 7, new java.util.TreeMap<>(entries)).toBytes());
  }

  /** A document for {@link #INSTANCE} that went through the real verifier. */
  public VerifiedDocument document(String namespace, long revision, String contentJson) {
    return verified(namespace, envelope(namespace, revision, contentJson));
  }

  public VerifiedDocument document(String namespace, long revision, JsonNode content) {
    return verified(namespace, envelope(INSTANCE, namespace, revision, content));
  }

  private VerifiedDocument verified(String namespace, Signed signed) {
    try {
      return verifier().stored(signed.body(), signed.reprDigest(), signed.signature(), namespace);
    } catch (Rejection e) {
      throw new AssertionError("a genuine test document was rejected: " + e.getMessage(), e);
    }
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Transport.Response response(int status, Map<String, String> headers, byte[] body) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return new Transport.Response(status, HttpHeaders.of(multi, (a, b) -> true), body);
  }
}
