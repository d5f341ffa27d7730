package io.holdfast.server.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Signing-key files as an operator writes them for a rotation: a fresh pair in PEM, in place, with
 * the mode the test asks for. Stateless.
 */
final class KeyFiles {

  private KeyFiles() {}

  static KeyPair newPair(String algorithm) {
    try {
      return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM text of {@code pair}: a PRIVATE KEY and a PUBLIC KEY block, as a replica wants. */
  static String pem(KeyPair pair) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN PRIVATE KEY-----\n"
        + encoder.encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
        + encoder.encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * Overwrites {@code file} in place (not atomically, as {@code cat >} would) with {@code text}.
   */
  static void write(Path file, String text, String mode) throws IOException {
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }
}
