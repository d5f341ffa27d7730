package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The keys a command verifies signatures with, as {@code --trust-key} and {@code --pin-key-id} name
 * them ({@code holdfast probe}, {@code holdfast gameday}). Stateless.
 */
public final class TrustedKeyArguments {

  private static final Pattern PUBLIC_KEY_PEM =
      Pattern.compile(
          "-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PUBLIC KEY-----");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrustedKeyArguments() {}

  /**
   * The keys {@code trustKeys} name, or the one {@code pinKeyId} names on {@code replica}; exactly
   * one of the two must be given.
   *
   * @throws IllegalArgumentException if both or neither are given, or a key cannot be read
   */
  public static List<VerificationKey> resolve(
      List<String> trustKeys,
      String pinKeyId,
      URI replica,
      Duration deadline,
      SSLContext sslContext)
      throws InterruptedException {
    if (trustKeys.isEmpty() == (pinKeyId == null)) {
      throw new IllegalArgumentException("give either --trust-key or --pin-key-id");
    }
    if (pinKeyId != null) {
      return List.of(fetchPinned(replica, pinKeyId, deadline, sslContext));
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (String value : trustKeys) {
      keys.add(VerificationKey.fromBase64(keyText(value)));
    }
    return keys;
  }

  /** The base64 key in {@code value}: a file's PEM block or content, or the value itself. */
  private static String keyText(String value) {
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      return value.strip();
    }
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      Matcher pem = PUBLIC_KEY_PEM.matcher(text);
      return pem.find() ? pem.group(1).replaceAll("\\s", "") : text.strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key with id {@code keyId} from the replica's {@code /v1/keys}. The id is recomputed from
   * the key itself, so a replica cannot pass off another key under the pinned id.
   */
  private static VerificationKey fetchPinned(
      URI replica, String keyId, Duration deadline, SSLContext sslContext)
      throws InterruptedException {
    URI keysUri = URI.create(replica.toString().replaceAll("/+$", "") + "/v1/keys");
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(deadline);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    try (HttpClient http = builder.build()) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(keysUri).timeout(deadline).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new AdminClient.UnreachableException(
            keysUri + " answered " + response.statusCode(), null);
      }
      for (JsonNode key : JSON.readTree(response.body()).path("keys")) {
        VerificationKey candidate = VerificationKey.fromBase64(key.path("publicKey").asText());
        if (candidate.keyId().equals(keyId)) {
          return candidate;
        }
      }
      throw new IllegalArgumentException(keysUri + " offers no key with id " + keyId);
    } catch (IOException e) {
      throw new AdminClient.UnreachableException(
          "cannot fetch " + keysUri + ": " + e.getMessage(), e);
    }
  }
}
