package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySetSigner;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * The root keys given with {@code --root-key}, each checked to belong to the root that signs (or,
 * in a rotation, to the incoming root) before it signs anything: a signature by any other key makes
 * clients refuse the key set, so it is caught on the offline machine, by file name.
 */
final class RootSigner {

  private RootSigner() {}

  static KeySetSigner of(List<Path> keyFiles, RootKeys trusted, RootKeys named) {
    List<KeyPair> pairs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Path file : keyFiles) {
      KeyPair pair = RootKeyFile.read(file);
      String keyId = VerificationKey.of(pair.getPublic()).keyId();
      if (trusted.key(keyId).isEmpty() && named.key(keyId).isEmpty()) {
        throw new IllegalArgumentException(
            "the root key "
                + file
                + " is "
                + keyId
                + ", which is not a key of the root "
                + RootText.ids(trusted)
                + (named.equals(trusted)
                    ? ""
                    : " nor of the incoming root " + RootText.ids(named)));
      }
      if (ids.contains(keyId)) {
        throw new IllegalArgumentException(
            "the root key " + file + " is " + keyId + ", which another --root-key gives already");
      }
      ids.add(keyId);
      pairs.add(pair);
    }
    return new KeySetSigner(pairs);
  }
}
