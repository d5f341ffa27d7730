package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.ServedDocument;
import io.holdfast.server.snapshot.SnapshotHolder;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The validator headers of each document served ({@code ETag}, {@code Holdfast-Revision}, {@code
 * Repr-Digest}, {@code Holdfast-Signature}), built and encoded once per document rather than for
 * every response: Helidon then copies each one's bytes to the socket, where a header made from a
 * string per response is an object and an encoding of its value each time (issue 21).
 *
 * <p>Kept per snapshot: the headers of the snapshot being served are remembered, and the whole
 * memory is dropped when the served snapshot changes, so it holds at most the documents of the
 * current snapshot (plus any of an older one a late request asked for) and never outlives them. A
 * document is the key by identity: its values never change once it is served. Each header is
 * validated once, when it is built ({@link ResponseHeaderCheck}). Thread-safe.
 */
final class DocumentHeaders {

  private static final HeaderName REVISION = HeaderNames.create(HoldfastHeaders.REVISION);
  private static final HeaderName REPR_DIGEST = HeaderNames.create(HoldfastHeaders.REPR_DIGEST);
  private static final HeaderName SIGNATURE = HeaderNames.create(HoldfastHeaders.SIGNATURE);

  /** One document's headers, encoded. */
  record Encoded(Header etag, Header revision, Header reprDigest, Header signature) {

    static Encoded of(ServedDocument document) {
      return new Encoded(
          ResponseHeaderCheck.preEncoded(HeaderNames.ETAG, document.etagHeaderValue()),
          ResponseHeaderCheck.preEncoded(REVISION, document.revisionHeaderValue()),
          ResponseHeaderCheck.preEncoded(REPR_DIGEST, document.reprDigest()),
          ResponseHeaderCheck.preEncoded(SIGNATURE, document.signature()));
    }
  }

  /** The headers remembered for one snapshot. */
  private record Generation(
      EffectiveSnapshot snapshot, ConcurrentHashMap<ServedDocument, Encoded> byDocument) {}

  private final SnapshotHolder snapshots;
  private volatile Generation generation = new Generation(null, new ConcurrentHashMap<>());

  DocumentHeaders(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  /** The encoded headers of {@code document}. */
  Encoded of(ServedDocument document) {
    Generation g = generation;
    EffectiveSnapshot served = snapshots.current();
    if (g.snapshot() != served) {
      g = new Generation(served, new ConcurrentHashMap<>());
      generation = g; // a racing request may install its own: either is empty and correct
    }
    Encoded encoded = g.byDocument().get(document);
    if (encoded == null) {
      encoded = g.byDocument().computeIfAbsent(document, Encoded::of);
    }
    return encoded;
  }
}
