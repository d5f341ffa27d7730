package io.holdfast.client.internal;

import io.holdfast.client.DocumentValidator;
import io.holdfast.client.ExpiredPolicy;
import io.holdfast.client.Ticker;
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
 * @param cacheDirectory {@code null}: last-known-good copies in memory only
 * @param sslContext {@code null}: the JDK's default trust store
 * @param executor where listeners and heartbeats run; {@code null}: the client's own threads
 */
public record ClientSettings(
    List<URI> replicas,
    String instance,
    String credential,
    Map<String, VerificationKey> trustedKeys,
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

  public ClientSettings {
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
