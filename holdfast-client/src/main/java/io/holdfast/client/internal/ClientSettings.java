package io.holdfast.client.internal;

import io.holdfast.client.DocumentValidator;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Ticker;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A client's configuration, copied out of its builder by {@code build()}: the builder may be
 * changed or reused afterwards without touching a client built from it. Immutable (the collections
 * are copies; ticker, clock, random, suppliers and executor are the application's own objects).
 * Validated by the builder.
 *
 * @param trustedRoot the pinned root of trust, or {@code null}: only {@code trustedKeys} sign
 * @param cacheDirectory {@code null}: last-known-good copies in memory only
 * @param sslContext {@code null}: the JDK's default trust store
 * @param executor where listeners and heartbeats run; {@code null}: the client's own threads
 */
public record ClientSettings(
    List<URI> replicas,
    String instance,
    String credential,
    Map<String, VerificationKey> trustedKeys,
    RootKeys trustedRoot,
    List<String> namespaces,
    Path cacheDirectory,
    Duration gracePeriod,
    Duration staleAfter,
    Duration connectTimeout,
    Duration startupTimeout,
    boolean failWhenUnavailable,
    Duration heartbeatInterval,
    int maxDocumentBytes,
    ExpiredPolicy expiredPolicy,
    SyncSettings sync,
    Ticker ticker,
    Clock clock,
    Random random,
    Supplier<Map<String, Long>> seatsInUse,
    Map<String, DocumentValidator> validators,
    SSLContext sslContext,
    Executor executor) {

  /**
   * Checks how the settings fit together; each setting alone was checked by the builder.
   *
   * @throws IllegalStateException naming the first missing or conflicting value
   */
  public ClientSettings {
    if (replicas.isEmpty()) {
      throw new IllegalStateException("no replicas: call replicas(...)");
    }
    if (instance == null) {
      throw new IllegalStateException("no instance: call instance(id, credential)");
    }
    if (trustedKeys.isEmpty() && trustedRoot == null) {
      throw new IllegalStateException(
          "no trusted key: call trustedRoot(...) or trustedKey(...); documents can only be"
              + " verified against a pinned root or pinned keys");
    }
    if (namespaces.isEmpty()) {
      throw new IllegalStateException("no namespaces: call namespaces(...)");
    }
    if (staleAfter.compareTo(gracePeriod) > 0) {
      throw new IllegalStateException(
          "stale-after " + staleAfter + " exceeds the grace period " + gracePeriod);
    }
    for (String namespace : validators.keySet()) {
      if (!namespaces.contains(namespace)) {
        throw new IllegalStateException(
            "a validator is set for namespace '"
                + namespace
                + "', which is not configured; configured: "
                + namespaces);
      }
    }
    replicas = List.copyOf(replicas);
    trustedKeys = ordered(trustedKeys);
    namespaces = List.copyOf(namespaces);
    validators = ordered(validators);
  }

  /** An unmodifiable copy that keeps the configuration order (for reports and messages). */
  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** Without the credential: a configuration may be logged, its secret may not. */
  @Override
  public String toString() {
    return "ClientSettings[instance="
        + instance
        + ", replicas="
        + replicas
        + ", namespaces="
        + namespaces
        + ", credential=(redacted)]";
  }
}
