package io.holdfast.server.snapshot;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The documents one rebuild creates, signed together with one Ed25519 signature ({@link
 * SignatureTree}) once all of them exist.
 *
 * <p>Why: a publish of a widely read layer creates two documents per instance (the namespace's and
 * the checksums). Signed one by one, ten thousand instances cost the replica seconds of CPU before
 * any watcher hears of the change; signed as one tree they cost one signature and a few hashes per
 * document. Two replicas that rebuild from the same previous state sign the same set, in the order
 * of their digests, and send the same headers; replicas with different histories may batch
 * differently, and then send different but equally valid signatures for the same bytes (ETags never
 * differ).
 *
 * <p>Thread-safe for {@link #add}, which the builder calls from parallel workers; {@link #sign}
 * runs once, after them.
 */
final class SignatureBatch {

  private final Queue<ServedDocument> pending = new ConcurrentLinkedQueue<>();

  /** A new unsigned document whose signature {@link #sign} will give. */
  ServedDocument add(byte[] body, long revision, java.time.Instant issuedAt) {
    ServedDocument document = ServedDocument.unsigned(body, revision, issuedAt);
    pending.add(document);
    return document;
  }

  /**
   * Signs every document added, with one signature; returns how many there were. Each document's
   * header value is made when it is first sent ({@link ServedDocument#signature}).
   */
  int sign(DocumentSigner signer) {
    List<ServedDocument> documents = new ArrayList<>(pending);
    pending.clear();
    if (documents.isEmpty()) {
      return 0;
    }
    // In whatever order the parallel workers added them: the tree sorts its leaves, so a document's
    // signature depends only on the set of documents, never on their order, and an incremental
    // rebuild and a full one from the same previous snapshot send the same headers.
    List<byte[]> digests = new ArrayList<>(documents.size());
    for (ServedDocument document : documents) {
      digests.add(document.sha256());
    }
    SignatureTree.SignedTree tree = SignatureTree.signTree(signer, digests);
    for (int i = 0; i < documents.size(); i++) {
      documents.get(i).sign(tree, i);
    }
    return documents.size();
  }
}
