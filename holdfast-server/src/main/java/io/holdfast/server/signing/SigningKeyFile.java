package io.holdfast.server.signing;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.datadir.AtomicFiles;
import io.holdfast.server.datadir.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ed25519 signing key on disk: a PEM file holding the PKCS#8 private key and the X.509 public
 * key. Replicas that share the file sign identically.
 *
 * <p>A new key is written atomically (temporary file, fsync, rename) with owner-only permissions.
 * Callers serialise creation across processes (see {@link
 * io.holdfast.server.datadir.DataDirectoryLock}).
 */
public final class SigningKeyFile {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private SigningKeyFile() {}

  /**
   * Loads the key at {@code path}, creating it first if the file does not exist.
   *
   * @throws io.holdfast.server.datadir.UnsafePermissionsException if other users may read it: a key
   *     others can read signs for anyone, so the replica does not start with it
   */
  public static DocumentSigner loadOrCreate(Path path) {
    try {
      if (!Files.exists(path)) {
        create(path);
      }
      OwnerOnlyFiles.requirePrivate(path, "the signing key");
      return new DocumentSigner(read(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the signing key " + path, e);
    }
  }

  static KeyPair read(Path path) throws IOException {
    return parse(Files.readAllBytes(path), path);
  }

  /**
   * The key pair in {@code content}, the bytes of the file at {@code path} (named in messages).
   *
   * @throws IOException if the content is not a whole Ed25519 pair whose halves belong together: a
   *     file read while an operator still writes it fails here, never yields a key
   */
  static KeyPair parse(byte[] content, Path path) throws IOException {
    String pem = new String(content, StandardCharsets.US_ASCII);
    byte[] privateDer = null;
    byte[] publicDer = null;
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      if (m.group(1).equals("PRIVATE KEY")) {
        privateDer = der;
      } else if (m.group(1).equals("PUBLIC KEY")) {
        publicDer = der;
      }
    }
    if (privateDer == null || publicDer == null) {
      throw new IOException(
          "signing key file must hold a PRIVATE KEY and a PUBLIC KEY block: " + path);
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
      requireHalvesMatch(privateKey, publicKey, path);
      return new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("signing key file does not hold an Ed25519 key pair: " + path, e);
    }
  }

  /**
   * A public block copied from another key would make the replica announce a key id whose key does
   * not verify its signatures; one signature over a fixed message shows the halves belong together.
   */
  private static void requireHalvesMatch(PrivateKey privateKey, PublicKey publicKey, Path path)
      throws GeneralSecurityException, IOException {
    byte[] probe = "holdfast signing-key pair check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new IOException(
          "the PUBLIC KEY block is not the public half of the PRIVATE KEY block: " + path);
    }
  }

  private static void create(Path path) throws IOException {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 17+ runtime provides Ed25519", e);
    }
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + encoder.encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
            + encoder.encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    AtomicFiles.writeOwnerOnly(path, pem.getBytes(StandardCharsets.US_ASCII));
  }
}
