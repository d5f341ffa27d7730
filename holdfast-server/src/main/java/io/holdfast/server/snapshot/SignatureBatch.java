package io.holdfast.server.snapshot;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * runs once, after them. Laid out for the one thread that signs: each document claims a slot with
 * one atomic increment and copies its digest into a flat chunk of digests while it is still in the
 * worker's cache, and a document finds its value through its batch and slot, so signing reads the
 * chunks in order and touches no document. A profile of a 10,000-instance rebuild had put a seventh
 * of it in copying the documents out of a concurrent queue and clearing it, and as much again in
 * walking twenty thousand scattered documents to read their digests and hand each its place (issue
 * 21).
 */
final class SignatureBatch {

  private static final int DIGEST_BYTES = 32;

  /**
   * Slots per chunk of {@link #digests}: chunks are made as slots are claimed, so a bound far above
   * what a rebuild adds (most documents of a large fleet are reused) costs a table of references,
   * not a digest's room for every document that might have changed.
   */
  private static final int CHUNK_SLOTS = 1024;

  private final int capacity;
  private final AtomicReferenceArray<byte[]> digests;
  private final AtomicInteger added = new AtomicInteger();

  /** Set once by {@link #sign}; volatile, as documents read it from the threads that send them. */
  private volatile SignatureTree.SignedTree tree;

  /**
   * @param capacity how many documents the batch may hold at most: the builder's bound for the
   *     instances it renders (their namespaces, subscriptions and checksums)
   */
  SignatureBatch(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("a batch holds at least no document: " + capacity);
    }
    this.capacity = capacity;
    this.digests = new AtomicReferenceArray<>((capacity + CHUNK_SLOTS - 1) / CHUNK_SLOTS);
  }

  /** A new unsigned document whose signature {@link #sign} will give. */
  ServedDocument add(byte[] body, long revision, java.time.Instant issuedAt) {
    if (tree != null) {
      throw new IllegalStateException("the batch is already signed");
    }
    int slot = added.getAndIncrement();
    if (slot >= capacity) {
      throw new IllegalStateException(
          "more documents than the batch was made for (" + capacity + ")");
    }
    ServedDocument document = ServedDocument.unsigned(body, revision, issuedAt, this, slot);
    System.arraycopy(
        document.sha256(),
        0,
        chunk(slot / CHUNK_SLOTS),
        (slot % CHUNK_SLOTS) * DIGEST_BYTES,
        DIGEST_BYTES);
    return document;
  }

  /**
   * Signs every document added, with one signature; returns how many there were. Each document's
   * header value is made when it is first sent ({@link ServedDocument#signature}).
   *
   * @throws IllegalStateException if the batch was signed already
   */
  int sign(DocumentSigner signer) {
    if (tree != null) {
      throw new IllegalStateException("the batch is already signed");
    }
    int count = Math.min(added.get(), capacity);
    if (count == 0) {
      return 0;
    }
    // In whatever order the parallel workers added them: the tree sorts its leaves, so a document's
    // signature depends only on the set of documents, never on their order, and an incremental
    // rebuild and a full one from the same previous snapshot send the same headers.
    List<byte[]> leaves = new ArrayList<>(count);
    // The workers' writes into the chunks happened before the build joined them.
    for (int slot = 0; slot < count; slot++) {
      int from = (slot % CHUNK_SLOTS) * DIGEST_BYTES;
      leaves.add(Arrays.copyOfRange(digests.get(slot / CHUNK_SLOTS), from, from + DIGEST_BYTES));
    }
    // The chunks go: the batch lives as long as any of its documents has not made its value, and
    // the tree is all that needs.
    for (int chunk = 0; chunk < digests.length(); chunk++) {
      digests.set(chunk, null);
    }
    tree = SignatureTree.signTree(signer, leaves);
    return count;
  }

  /** Chunk {@code index} of {@link #digests}, made by whichever worker needs it first. */
  private byte[] chunk(int index) {
    byte[] chunk = digests.get(index);
    if (chunk == null) {
      digests.compareAndSet(index, null, new byte[CHUNK_SLOTS * DIGEST_BYTES]);
      chunk = digests.get(index);
    }
    return chunk;
  }

  /**
   * The {@code Holdfast-Signature} value of the document in {@code slot}.
   *
   * @throws IllegalStateException if the batch is not signed yet
   */
  String headerValue(int slot) {
    SignatureTree.SignedTree signed = tree;
    if (signed == null) {
      throw new IllegalStateException("the document was never signed");
    }
    return signed.headerValue(slot);
  }
}
