package io.holdfast.it.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.signature.DocumentSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an attacker holding a leaked online signing key makes: a document and checksums that list
 * it, signed and framed exactly as a replica would answer them, to be served whole by a fault proxy
 * ({@code Fault.rawResponse}). Only the key is stolen; the attacker has no root key, so he cannot
 * make key sets.
 */
public final class Forgery {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DocumentSigner signer;

  /** An attacker with this key pair. */
  public Forgery(KeyPair leakedKey) {
    this.signer = new DocumentSigner(leakedKey);
  }

  /** A signed body with its validators, as a replica serves one. */
  public record Signed(
      byte[] body, String etag, String reprDigest, String signature, long revision) {

    /** The whole HTTP/1.1 answer: status line, the replica's headers, this body. */
    public byte[] response() {
      String head =
          "HTTP/1.1 200 OK\r\n"
              + "Content-Type: "
              + HoldfastHeaders.ENVELOPE_MEDIA_TYPE
              + "\r\nETag: "
              + etag
              + "\r\n"
              + HoldfastHeaders.REPR_DIGEST
              + ": "
              + reprDigest
              + "\r\n"
              + HoldfastHeaders.SIGNATURE
              + ": "
              + signature
              + "\r\n"
              + HoldfastHeaders.REVISION
              + ": "
              + revision
              + "\r\nCache-Control: private, no-cache\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      return out.toByteArray();
    }
  }

  /** A document for {@code instance} and {@code namespace} at {@code revision}. */
  public Signed document(
      String instance, String namespace, long revision, Instant issuedAt, String contentJson) {
    try {
      return sign(
          new Envelope(instance, namespace, revision, issuedAt, JSON.readTree(contentJson))
              .toBytes(),
          revision);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Checksums for {@code instance} listing {@code document} as namespace {@code namespace}, with a
   * freshness statement from {@code issuedAt} for {@code validity} and the key set version the
   * attacker read from the genuine checksums.
   */
  public Signed checksums(
      String instance,
      String namespace,
      Signed document,
      Instant issuedAt,
      Duration validity,
      long keySetVersion) {
    TreeMap<String, Checksums.Entry> entries = new TreeMap<>();
    entries.put(
        namespace,
        new Checksums.Entry(document.revision(), document.etag(), document.reprDigest()));
    Checksums checksums =
        new Checksums(
            instance,
            document.revision(),
            entries,
            Optional.of(new Checksums.Validity(issuedAt, issuedAt.plus(validity))),
            keySetVersion);
    return sign(checksums.toBytes(), document.revision());
  }

  private Signed sign(byte[] body, long revision) {
    ContentHash hash = ContentHash.of(body);
    return new Signed(
        body,
        hash.entityTag().toHeaderValue(),
        hash.reprDigest(),
        signer.sign(body).toHeaderValue(),
        revision);
  }
}
