package io.holdfast.protocol.keyset;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.SignatureHeader;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signs key sets with root private keys, on the operator's offline machine ({@code holdfast keys
 * sign-keyset}). With a threshold of several keys held by different people, each signs in turn: the
 * first with {@link #sign}, the others with {@link #countersign}. Thread-safe.
 */
public final class KeySetSigner {

  private final List<DocumentSigner> signers;

  /**
   * @param rootKeyPairs one or more Ed25519 root key pairs, each at most once
   * @throws IllegalArgumentException if a key is not Ed25519, or appears twice
   */
  public KeySetSigner(Collection<KeyPair> rootKeyPairs) {
    List<DocumentSigner> list = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (KeyPair pair : rootKeyPairs) {
      DocumentSigner signer = new DocumentSigner(pair);
      if (!ids.add(signer.verificationKey().keyId())) {
        throw new IllegalArgumentException(
            "root key " + signer.verificationKey().keyId() + " is given twice");
      }
      list.add(signer);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("at least one root key pair is required");
    }
    list.sort(Comparator.comparing(signer -> signer.verificationKey().keyId()));
    this.signers = List.copyOf(list);
  }

  /** The key set, signed by every key of this signer. */
  public SignedKeySet sign(KeySet keySet) {
    return countersign(new SignedKeySet(keySet, List.of()));
  }

  /**
   * The same key set with this signer's signatures added; a key that has signed already is not
   * added again (Ed25519 is deterministic, so its signature would be the same).
   */
  public SignedKeySet countersign(SignedKeySet signed) {
    List<RootSignature> signatures = new ArrayList<>(signed.signatures());
    Set<String> present = new HashSet<>();
    signatures.forEach(signature -> present.add(signature.keyId()));
    byte[] message = signed.signedMessage();
    for (DocumentSigner signer : signers) {
      if (present.add(signer.verificationKey().keyId())) {
        SignatureHeader header = signer.sign(message);
        signatures.add(new RootSignature(header.keyId(), header.signature()));
      }
    }
    signatures.sort(Comparator.comparing(RootSignature::keyId));
    return new SignedKeySet(signed.keySet(), signatures);
  }
}
