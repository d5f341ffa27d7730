package io.holdfast.it.trust;

import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Online signing keys as an operator makes them ({@code openssl genpkey -algorithm ed25519}) and
 * puts them on a replica: a {@code signing-key.pem} holding the private and the public block,
 * readable by its owner only, replaced in one rename so that a replica reloading it never reads a
 * half-written file.
 */
public final class SigningKeys {

  private SigningKeys() {}

  /** A fresh Ed25519 key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /** The public half as clients and key sets name it. */
  public static VerificationKey publicKey(KeyPair pair) {
    return VerificationKey.of(pair.getPublic());
  }

  /** Writes {@code pair} as the replica's signing-key file, creating its directory. */
  public static void install(Path file, KeyPair pair) {
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + base64.encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
            + base64.encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    try {
      Files.createDirectories(file.getParent());
      Path temporary =
          Files.createTempFile(
              file.getParent(),
              ".signing-key",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
