package io.holdfast.protocol.signature;

import io.holdfast.protocol.http.ContentHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Many documents signed with one Ed25519 signature: the {@code ed25519-tree} algorithm.
 *
 * <p>Why: a publish of a layer that every instance reads changes one document and one checksums
 * document per instance, and each names its instance, so no two bodies are alike. Signing each
 * costs the replica about a millisecond of CPU (JDK Ed25519 on a small VM): ten thousand instances
 * would wait seconds for their new revision. Instead the replica hashes every new body into a
 * binary hash tree, signs the root once, and gives each body the sibling hashes that lead from it
 * to the root. A client checks a proof with a few SHA-256 computations and one signature
 * verification, as before.
 *
 * <p>The tree (after RFC 6962's Merkle tree, with its domain separation):
 *
 * <ul>
 *   <li>a leaf is {@code SHA-256(0x00 || SHA-256(body))}; leaves are sorted by their bytes, so the
 *       same set of documents always gives the same tree, whatever order a replica built them in;
 *   <li>an inner node is {@code SHA-256(0x01 || left || right)}; an odd node out at the end of a
 *       level moves up unchanged;
 *   <li>the signature covers {@code "holdfast-tree-1\n" || root}. Bodies are JSON objects, so no
 *       body is ever that message, and the prefixes 0x00 and 0x01 keep a leaf from passing for an
 *       inner node or the other way round;
 *   <li>the proof is the path from the leaf up: for each level where the node has a sibling, one
 *       byte saying on which side the sibling is ({@code 0x00} left, {@code 0x01} right) and the
 *       sibling's 32 bytes. At most {@value #MAX_STEPS} steps; a tree of one leaf has an empty
 *       proof.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class SignatureTree {

  /** The algorithm's name in {@code Holdfast-Signature}. */
  public static final String ALGORITHM = "ed25519-tree";

  /** Longest proof accepted: far above any real tree (2^32 documents), bounded against abuse. */
  public static final int MAX_STEPS = 32;

  static final int STEP_BYTES = 33;

  /** A step's base64: 33 bytes are eleven whole groups of three, with no padding. */
  private static final int STEP_CHARS = 4 * STEP_BYTES / 3;

  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;
  private static final byte SIBLING_LEFT = 0x00;
  private static final byte SIBLING_RIGHT = 0x01;
  private static final byte[] ROOT_CONTEXT =
      "holdfast-tree-1\n".getBytes(StandardCharsets.US_ASCII);

  private SignatureTree() {}

  /**
   * Signs documents together, given the SHA-256 of each body.
   *
   * @return one header per digest, in the order given
   */
  public static List<SignatureHeader> sign(DocumentSigner signer, List<byte[]> bodySha256s) {
    if (bodySha256s.isEmpty()) {
      return List.of();
    }
    Tree tree = Tree.of(signer, bodySha256s);
    byte[] signature = tree.root().signature();
    SignatureHeader[] headers = new SignatureHeader[bodySha256s.size()];
    for (int p = 0; p < headers.length; p++) {
      headers[tree.order()[p]] =
          new SignatureHeader(tree.root().keyId(), ALGORITHM, signature, proof(tree.levels(), p));
    }
    return List.of(headers);
  }

  /**
   * The {@code Holdfast-Signature} values of {@link #sign}, one per digest in the order given: each
   * is exactly {@code sign(signer, bodySha256s).get(i).toHeaderValue()}.
   *
   * <p>Why: a replica keeps only the header value of each document it serves, and making it through
   * a {@link SignatureHeader} copied the proof four times and encoded it in base64 once per
   * document, most of what a fleet-wide rebuild allocated. A proof step is 33 bytes, a whole number
   * of base64 groups, so the base64 of a proof is the base64 of its steps one after the other: each
   * node's step is encoded once, and a document's value is its steps' text copied behind a prefix
   * that all documents share.
   */
  public static List<String> signHeaderValues(DocumentSigner signer, List<byte[]> bodySha256s) {
    if (bodySha256s.isEmpty()) {
      return List.of();
    }
    SignedTree tree = signTree(signer, bodySha256s);
    String[] values = new String[tree.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tree.headerValue(i);
    }
    return List.of(values);
  }

  /**
   * Signs documents together, as {@link #signHeaderValues} does, but makes no header value yet:
   * each is made when {@link SignedTree#headerValue} is first asked for it.
   *
   * <p>Why: the values of a fleet-wide rebuild are about 800 characters each, twenty thousand of
   * them, made on one thread after every document exists, which delayed the new snapshot (and the
   * publish waiting for it) by tens of milliseconds on a 2-core replica (issue 21). A replica can
   * make each value when the document is first sent, on the thread that sends it.
   *
   * @param bodySha256s at least one digest
   */
  public static SignedTree signTree(DocumentSigner signer, List<byte[]> bodySha256s) {
    if (bodySha256s.isEmpty()) {
      throw new IllegalArgumentException("a tree needs at least one document");
    }
    return new SignedTree(Tree.of(signer, bodySha256s));
  }

  /**
   * A signed tree of documents and what each document's {@code Holdfast-Signature} value is made
   * from: the root's signature and every node's proof step, encoded once. Immutable and
   * thread-safe; {@link #headerValue} may be called from any thread, any number of times.
   */
  public static final class SignedTree {

    private final int size;
    private final String unproved;
    private final String prefix;
    private final String[][] steps;

    /** The sorted position of each document, by its index in the list signed. */
    private final int[] positions;

    private SignedTree(Tree tree) {
      this.size = tree.order().length;
      this.unproved =
          new SignatureHeader(tree.root().keyId(), ALGORITHM, tree.root().signature())
              .toHeaderValue();
      this.prefix = unproved + ", proof=:";
      this.steps = encodedSteps(tree.levels());
      this.positions = new int[size];
      for (int position = 0; position < size; position++) {
        positions[tree.order()[position]] = position;
      }
    }

    /** How many documents the tree signs. */
    public int size() {
      return size;
    }

    /**
     * The {@code Holdfast-Signature} value of the document at {@code index} in the list signed:
     * exactly {@code sign(signer, bodySha256s).get(index).toHeaderValue()}. A new string each call.
     */
    public String headerValue(int index) {
      if (size == 1) {
        Objects.checkIndex(index, size);
        return unproved; // a tree of one leaf: no proof, as toHeaderValue writes it
      }
      int position = positions[index];
      int count = 0;
      for (int l = 0, p = position; l < steps.length; l++, p >>= 1) {
        count += steps[l][p] == null ? 0 : 1;
      }
      // Sized exactly: the value is copied once more into its string, and there are thousands.
      StringBuilder value = new StringBuilder(prefix.length() + STEP_CHARS * count + 1);
      value.append(prefix);
      for (int l = 0, p = position; l < steps.length; l++, p >>= 1) {
        String step = steps[l][p];
        if (step != null) {
          value.append(step);
        }
      }
      return value.append(':').toString();
    }
  }

  /**
   * The base64 of each node's proof step, by level and position: the side and hash of its sibling,
   * {@code null} for a node without one.
   */
  private static String[][] encodedSteps(List<byte[][]> levels) {
    Base64.Encoder base64 = Base64.getEncoder();
    String[][] steps = new String[levels.size() - 1][];
    byte[] step = new byte[STEP_BYTES];
    for (int l = 0; l < steps.length; l++) {
      byte[][] level = levels.get(l);
      steps[l] = new String[level.length];
      for (int p = 0; p < level.length; p++) {
        int sibling = p ^ 1;
        if (sibling < level.length) {
          step[0] = sibling < p ? SIBLING_LEFT : SIBLING_RIGHT;
          System.arraycopy(level[sibling], 0, step, 1, 32);
          steps[l][p] = base64.encodeToString(step);
        }
      }
    }
    return steps;
  }

  /**
   * The tree over some documents' digests: its levels from the sorted leaves up to the root, the
   * digest's index at each sorted position, and the root's signature.
   */
  private record Tree(List<byte[][]> levels, int[] order, SignatureHeader root) {

    static Tree of(DocumentSigner signer, List<byte[]> bodySha256s) {
      int n = bodySha256s.size();
      MessageDigest sha256 = ContentHash.newSha256();
      byte[][] leaves = new byte[n][];
      for (int i = 0; i < n; i++) {
        leaves[i] = leaf(sha256, bodySha256s.get(i));
      }
      // Position of each document among the sorted leaves.
      SortedLeaf[] sorted = new SortedLeaf[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = new SortedLeaf(leaves[i], i);
      }
      Arrays.sort(sorted);
      int[] order = new int[n];
      List<byte[][]> levels = new ArrayList<>();
      byte[][] level = new byte[n][];
      for (int p = 0; p < n; p++) {
        order[p] = sorted[p].index();
        level[p] = sorted[p].hash();
      }
      levels.add(level);
      while (level.length > 1) {
        byte[][] up = new byte[(level.length + 1) / 2][];
        for (int p = 0; p < up.length; p++) {
          up[p] =
              2 * p + 1 < level.length
                  ? node(sha256, level[2 * p], level[2 * p + 1])
                  : level[2 * p];
        }
        levels.add(up);
        level = up;
      }
      return new Tree(levels, order, signer.sign(signedMessage(level[0])));
    }
  }

  /**
   * A leaf and the index of its document, ordered as {@link Arrays#compareUnsigned} orders the
   * hashes. Why not an index array sorted by a comparator: boxed indexes and a byte-wise comparison
   * per step were a sixth of a fleet-wide rebuild; the first eight bytes, compared as one number,
   * almost always decide.
   */
  private record SortedLeaf(byte[] hash, int index, long head) implements Comparable<SortedLeaf> {

    SortedLeaf(byte[] hash, int index) {
      this(hash, index, (long) HEAD.get(hash, 0));
    }

    @Override
    public int compareTo(SortedLeaf other) {
      int byHead = Long.compareUnsigned(head, other.head);
      return byHead != 0 ? byHead : Arrays.compareUnsigned(hash, other.hash);
    }
  }

  /** Reads a leaf's first eight bytes as one big-endian number. */
  private static final VarHandle HEAD =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The sibling path of the leaf at sorted position {@code position}. */
  private static byte[] proof(List<byte[][]> levels, int position) {
    byte[] steps = new byte[STEP_BYTES * (levels.size() - 1)];
    int length = 0;
    int p = position;
    for (int l = 0; l < levels.size() - 1; l++) {
      byte[][] level = levels.get(l);
      int sibling = p ^ 1;
      if (sibling < level.length) {
        steps[length] = sibling < p ? SIBLING_LEFT : SIBLING_RIGHT;
        System.arraycopy(level[sibling], 0, steps, length + 1, 32);
        length += STEP_BYTES;
      }
      p >>= 1;
    }
    return Arrays.copyOf(steps, length);
  }

  /**
   * The message whose signature makes {@code body} authentic under {@code proof}, or {@code null}
   * if the proof is malformed (not whole steps, too long, or a bad side byte): the tree root the
   * proof leads to, with its context prefix. {@link VerificationKey#verifies} checks the signature
   * over it.
   *
   * <p>Public so that a verifier of many documents can tell which of them share one signed root and
   * verify each distinct root and signature once: every document of one batch leads to the same
   * message, and an Ed25519 verification costs far more than the few hashes of a proof.
   *
   * @param body the document's exact bytes
   * @param proof the header's proof ({@link SignatureHeader#proof()})
   */
  public static byte[] signedMessageFor(byte[] body, byte[] proof) {
    if (proof.length % STEP_BYTES != 0 || proof.length / STEP_BYTES > MAX_STEPS) {
      return null;
    }
    MessageDigest sha256 = ContentHash.newSha256();
    byte[] hash = leaf(sha256, sha256.digest(body));
    byte[] sibling = new byte[32];
    for (int offset = 0; offset < proof.length; offset += STEP_BYTES) {
      System.arraycopy(proof, offset + 1, sibling, 0, 32);
      hash =
          switch (proof[offset]) {
            case SIBLING_LEFT -> node(sha256, sibling, hash);
            case SIBLING_RIGHT -> node(sha256, hash, sibling);
            default -> null;
          };
      if (hash == null) {
        return null;
      }
    }
    return signedMessage(hash);
  }

  private static byte[] signedMessage(byte[] root) {
    byte[] message = Arrays.copyOf(ROOT_CONTEXT, ROOT_CONTEXT.length + root.length);
    System.arraycopy(root, 0, message, ROOT_CONTEXT.length, root.length);
    return message;
  }

  private static byte[] leaf(MessageDigest sha256, byte[] bodySha256) {
    if (bodySha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + bodySha256.length);
    }
    sha256.update(LEAF);
    return sha256.digest(bodySha256);
  }

  private static byte[] node(MessageDigest sha256, byte[] left, byte[] right) {
    sha256.update(NODE);
    sha256.update(left);
    return sha256.digest(right);
  }
}
