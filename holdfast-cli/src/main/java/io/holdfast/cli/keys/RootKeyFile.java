package io.holdfast.cli.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A root private key on the operator's offline machine: a PEM file with a {@code PRIVATE KEY}
 * (PKCS#8) and a {@code PUBLIC KEY} (X.509) block, the same layout as a replica's {@code
 * signing-key.pem}. Whoever reads a root key can sign key sets every client trusts, so it is
 * created owner-only (0600), never over an existing file, and refused when its group or others may
 * read it.
 */
final class RootKeyFile {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private RootKeyFile() {}

  static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 17+ runtime provides Ed25519", e);
    }
  }

  /**
   * Writes {@code pair} to a new file at {@code path}, mode 0600 from the moment it exists.
   *
   * @throws IllegalArgumentException if the file exists (a root key is never overwritten) or cannot
   *     be written
   */
  static void create(Path path, KeyPair pair) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + encoder.encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
            + encoder.encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    try (SeekableByteChannel channel = newOwnerOnly(path)) {
      ByteBuffer buffer = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException(path + " exists; a root key is never overwritten");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the root key " + path + ": " + e, e);
    }
  }

  // CREATE_NEW with the mode as an attribute: the file is never readable by others, not even
  // between its creation and a chmod, and an existing file is refused atomically.
  private static SeekableByteChannel newOwnerOnly(Path path) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (posix(path)) {
      return Files.newByteChannel(
          path,
          options,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.newByteChannel(path, options);
  }

  /**
   * Reads the key pair at {@code path}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static KeyPair read(Path path) {
    String pem;
    try {
      requirePrivate(path);
      pem = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the root key " + path + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the root key " + path + ": " + e, e);
    }
    byte[] privateDer = null;
    byte[] publicDer = null;
    Matcher m = BLOCK.matcher(pem);
    try {
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        if (m.group(1).equals("PRIVATE KEY")) {
          privateDer = der;
        } else if (m.group(1).equals("PUBLIC KEY")) {
          publicDer = der;
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the root key " + path + " holds malformed base64");
    }
    if (privateDer == null || publicDer == null) {
      throw new IllegalArgumentException(
          "the root key "
              + path
              + " must hold a PRIVATE KEY and a PUBLIC KEY block, as holdfast keys init-root writes");
    }
    KeyPair pair;
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
      pair = new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the root key " + path + " does not hold an Ed25519 key pair");
    }
    if (!matches(pair)) {
      throw new IllegalArgumentException(
          "the PRIVATE KEY and PUBLIC KEY blocks of " + path + " are not one key pair");
    }
    return pair;
  }

  // A signature made with the private half must verify with the public half; otherwise the key id
  // printed and checked would name another key than the one that signs.
  private static boolean matches(KeyPair pair) {
    try {
      byte[] probe = "holdfast root key pair check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(pair.getPrivate());
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(pair.getPublic());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void requirePrivate(Path path) throws IOException {
    if (!posix(path) || !Files.exists(path)) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
      throw new IllegalArgumentException(
          "the root key "
              + path
              + " is accessible to other users (mode "
              + PosixFilePermissions.toString(permissions)
              + "); run: chmod 600 "
              + path);
    }
  }

  private static boolean posix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
