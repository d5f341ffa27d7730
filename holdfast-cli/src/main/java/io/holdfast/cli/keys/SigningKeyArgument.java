package io.holdfast.cli.keys;

import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public key of an online signing key, as {@code --signing-key} takes it, in one of two forms:
 *
 * <ul>
 *   <li>the base64 X.509 key exactly as a replica's {@code GET /v1/keys} lists it in {@code
 *       publicKey} ({@code MCowBQYDK2VwAyEA…}, 60 characters);
 *   <li>the path of a PEM file with a {@code PUBLIC KEY} block ({@code openssl pkey -in
 *       signing-key.pem -pubout}, or a replica's {@code signing-key.pem} itself: only its public
 *       block is read), or of a file holding that base64 alone, as {@code holdfast probe
 *       --trust-key} takes them.
 * </ul>
 *
 * Only public keys are needed: a replica's private signing key never has to reach the offline
 * machine.
 */
final class SigningKeyArgument {

  private static final Pattern BASE64_KEY = Pattern.compile("[A-Za-z0-9+/]{59}=|[A-Za-z0-9+/]{60}");
  private static final Pattern PUBLIC_BLOCK =
      Pattern.compile(
          "-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PUBLIC KEY-----");

  private SigningKeyArgument() {}

  /**
   * @throws IllegalArgumentException saying what the value is not
   */
  static VerificationKey parse(String value) {
    if (BASE64_KEY.matcher(value).matches()) {
      try {
        return VerificationKey.fromBase64(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--signing-key '" + value + "' is not an Ed25519 public key in base64 X.509 form");
      }
    }
    Path path = Path.of(value);
    String pem;
    try {
      pem = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "--signing-key '"
              + value
              + "' is neither a public key as GET /v1/keys lists it (base64) nor an existing PEM"
              + " file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --signing-key " + value + ": " + e, e);
    }
    Matcher m = PUBLIC_BLOCK.matcher(pem);
    String base64 = m.find() ? m.group(1).replaceAll("\\s", "") : pem.strip();
    try {
      return VerificationKey.fromBase64(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--signing-key "
              + value
              + " holds neither a PUBLIC KEY block nor a base64 public key; extract one with:"
              + " openssl pkey -in <key.pem> -pubout");
    }
  }
}
