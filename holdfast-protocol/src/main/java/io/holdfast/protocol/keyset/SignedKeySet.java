package io.holdfast.protocol.keyset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A key set and the root signatures over it, as stored, served and pinned:
 *
 * <pre>{"signatures":[{"alg":"ed25519","keyId":"hf1-…","sig":"<base64>"}],"signed":{…key set…}}
 * </pre>
 *
 * <p>Each signature covers {@link #signedMessage()}: the ASCII bytes {@code holdfast-keyset-1}, a
 * line feed, then the canonical bytes of the key set ({@link KeySet#toBytes()}). The prefix keeps a
 * root signature from ever passing for a document signature, and the reverse.
 *
 * <p>This type only carries signatures; whether they are valid, enough and from the right root is
 * {@link KeySetVerifier}'s decision. Signatures are kept in the order given, duplicates included,
 * so that the verifier can refuse them rather than a constructor hiding them. Immutable.
 */
public final class SignedKeySet {

  /** The largest signed key set accepted, in bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  /** The most signatures one signed key set carries (two full roots). */
  public static final int MAX_SIGNATURES = 2 * RootKeys.MAX_KEYS;

  private static final StrictJson JSON = new StrictJson(MAX_BYTES, 8);
  private static final byte[] PREFIX = (KeySet.FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);

  private final KeySet keySet;
  private final byte[] payload;
  private final List<RootSignature> signatures;

  public SignedKeySet(KeySet keySet, List<RootSignature> signatures) {
    this.keySet = Objects.requireNonNull(keySet, "keySet");
    this.payload = keySet.toBytes();
    this.signatures = List.copyOf(signatures);
    if (this.signatures.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          this.signatures.size() + " signatures; the limit is " + MAX_SIGNATURES);
    }
  }

  public KeySet keySet() {
    return keySet;
  }

  /** The signatures, in the order received. */
  public List<RootSignature> signatures() {
    return signatures;
  }

  /** The canonical bytes of the key set alone. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The exact bytes every root signature covers. */
  public byte[] signedMessage() {
    return signedMessage(payload);
  }

  static byte[] signedMessage(byte[] payload) {
    byte[] message = new byte[PREFIX.length + payload.length];
    System.arraycopy(PREFIX, 0, message, 0, PREFIX.length);
    System.arraycopy(payload, 0, message, PREFIX.length, payload.length);
    return message;
  }

  /** Whether both carry the same key set (the same payload bytes), whoever signed it. */
  public boolean sameKeySet(SignedKeySet other) {
    return java.util.Arrays.equals(payload, other.payload);
  }

  /** The canonical bytes, as stored and served. */
  public byte[] toBytes() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("signed", keySet.toJson());
    ArrayNode array = node.putArray("signatures");
    Base64.Encoder base64 = Base64.getEncoder();
    for (RootSignature signature : signatures) {
      array
          .addObject()
          .put("alg", RootSignature.ALGORITHM)
          .put("keyId", signature.keyId())
          .put("sig", base64.encodeToString(signature.signature()));
    }
    return CanonicalJson.toBytes(node);
  }

  /**
   * Parses a signed key set received from a replica, a file or the disk cache. Nothing is verified
   * here but the form: at most {@link #MAX_BYTES}, no duplicate or unknown member, every member of
   * its type, and the bytes in canonical form, exactly as {@link #toBytes()} writes them. The last
   * rule means that no two different byte strings parse to the same key set: any change to the
   * bytes either fails here or changes what the signatures must cover.
   *
   * @throws JsonInputException naming the first member that is wrong
   */
  public static SignedKeySet parse(byte[] bytes) throws JsonInputException {
    JsonNode node = JSON.parse(bytes);
    Members document = Members.of(node, "", Set.of("signed", "signatures"), Set.of());
    KeySet keySet = KeySet.fromJson(document.node("signed"), "signed");
    List<JsonNode> elements = document.array("signatures", MAX_SIGNATURES);
    if (elements.isEmpty()) {
      throw Members.malformed("signatures is empty; a key set needs a root signature");
    }
    List<RootSignature> signatures = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      Members signature =
          Members.of(elements.get(i), "signatures[" + i + "]", SIGNATURE_MEMBERS, Set.of());
      String alg = signature.text("alg");
      if (!RootSignature.ALGORITHM.equals(alg)) {
        throw Members.malformed(
            signature.where("alg")
                + " is '"
                + Members.abbreviate(alg)
                + "'; only "
                + RootSignature.ALGORITHM
                + " is accepted");
      }
      byte[] sig = signature.base64("sig");
      if (sig.length != RootSignature.LENGTH) {
        throw Members.malformed(
            signature.where("sig")
                + " holds "
                + sig.length
                + " bytes; an Ed25519 signature has "
                + RootSignature.LENGTH);
      }
      signatures.add(new RootSignature(signature.text("keyId"), sig));
    }
    SignedKeySet signed = new SignedKeySet(keySet, signatures);
    byte[] canonical = signed.toBytes();
    if (!java.util.Arrays.equals(canonical, bytes)) {
      throw Members.malformed(
          "the key set is not in canonical form (first difference at byte "
              + java.util.Arrays.mismatch(canonical, bytes)
              + "); it must be exactly as signed and written by Holdfast");
    }
    return signed;
  }

  /** The most key sets one chain answer holds; a replica sends at most this many at a time. */
  public static final int MAX_CHAIN = 100;

  private static final StrictJson CHAIN_JSON = new StrictJson(MAX_CHAIN * MAX_BYTES, 10);

  /**
   * Parses a replica's answer to {@code GET /v1/keyset/chain}: {@code {"keySets":[…]}}, each
   * element a signed key set in canonical form ({@link #parse}), in ascending version order. Form
   * only, as {@link #parse}: the chain is trusted once {@link KeySetVerifier#verifyChain} says so.
   *
   * @throws JsonInputException naming the element that is wrong, or if the versions do not ascend
   */
  public static List<SignedKeySet> parseChain(byte[] bytes) throws JsonInputException {
    JsonNode node = CHAIN_JSON.parse(bytes);
    Members chain = Members.of(node, "", Set.of("keySets"), Set.of());
    List<JsonNode> elements = chain.array("keySets", MAX_CHAIN);
    List<SignedKeySet> keySets = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      SignedKeySet keySet;
      try {
        keySet = parse(CanonicalJson.toBytes(elements.get(i)));
      } catch (JsonInputException e) {
        throw Members.malformed("keySets[" + i + "]: " + e.getMessage());
      }
      if (i > 0 && keySet.keySet().version() <= keySets.get(i - 1).keySet().version()) {
        throw Members.malformed(
            "keySets["
                + i
                + "] has version "
                + keySet.keySet().version()
                + ", not above the one before");
      }
      keySets.add(keySet);
    }
    return keySets;
  }

  private static final Set<String> SIGNATURE_MEMBERS = Set.of("alg", "keyId", "sig");

  @Override
  public String toString() {
    return "SignedKeySet[version=" + keySet.version() + ", signatures=" + signatures + "]";
  }
}
