package io.holdfast.it.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.protocol.signature.SignatureHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What an SDK client's cache directory tells about its trust, read as an operator would on the
 * host: which keys signed the last-known-good copies ({@code *.lkg}) and which key set it holds
 * ({@code *.keyset}, saved with the rotations that led to it).
 */
public final class ClientCache {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientCache() {}

  /** The key ids that signed the cached documents, one per namespace. */
  public static List<String> signers(Path cache) {
    return files(cache, ".lkg")
        .map(ClientCache::read)
        .filter(Objects::nonNull)
        .map(stored -> stored.path("signature").asText(null))
        .filter(Objects::nonNull)
        .map(signature -> SignatureHeader.parse(signature).keyId())
        .toList();
  }

  /** The highest key set version in the cache; 0 before one is saved. */
  public static long keySetVersion(Path cache) {
    return files(cache, ".keyset")
        .map(ClientCache::read)
        .filter(Objects::nonNull)
        .flatMap(keySet -> keySet.findValues("version").stream())
        .mapToLong(JsonNode::asLong)
        .max()
        .orElse(0);
  }

  private static Stream<Path> files(Path cache, String suffix) {
    if (!Files.isDirectory(cache)) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      // Replaced while read (the client writes by rename); the next look sees the new one.
      return null;
    }
  }
}
