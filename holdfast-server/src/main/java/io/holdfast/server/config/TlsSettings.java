package io.holdfast.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on every port of a replica ({@code tls-cert}, {@code tls-key}, {@code tls-client-ca}): PEM
 * files, read at start and again whenever they change (the replica's {@code tls} package). Without
 * a certificate the replica speaks plain HTTP, as behind a TLS-terminating proxy. Immutable.
 *
 * @param certificate the certificate chain, the replica's own certificate first; {@code null} for
 *     plain HTTP
 * @param privateKey the certificate's private key (PKCS#8, or PKCS#1 RSA / SEC1 EC), unencrypted
 * @param clientCa when set, every client must present a certificate signed by one of the
 *     authorities in this bundle (mutual TLS), besides its bearer token
 * @param reloadInterval how often the files are compared with what was loaded ({@code
 *     tls-reload-interval}); default 10 s
 */
public record TlsSettings(
    Path certificate, Path privateKey, Path clientCa, Duration reloadInterval) {

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  /** Plain HTTP. */
  public static final TlsSettings NONE = new TlsSettings(null, null, null, DEFAULT_RELOAD_INTERVAL);

  public TlsSettings {
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (reloadInterval.compareTo(Duration.ofMillis(100)) < 0
        || reloadInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(
          "tls-reload-interval must be between 100ms and 1h, was " + reloadInterval);
    }
    if ((certificate == null) != (privateKey == null)) {
      throw new ConfigException(
          "tls-cert and tls-key go together: "
              + (certificate == null
                  ? "tls-key is set but tls-cert is not"
                  : "tls-cert is set but tls-key is not"));
    }
    if (clientCa != null && certificate == null) {
      throw new ConfigException("tls-client-ca needs TLS: set tls-cert and tls-key too");
    }
  }

  /** TLS with these files, checked for changes every {@link #DEFAULT_RELOAD_INTERVAL}. */
  public static TlsSettings of(Path certificate, Path privateKey, Path clientCa) {
    return new TlsSettings(certificate, privateKey, clientCa, DEFAULT_RELOAD_INTERVAL);
  }

  /** Whether the replica speaks TLS. */
  public boolean enabled() {
    return certificate != null;
  }

  /** The client-certificate authorities, when clients must present a certificate. */
  public Optional<Path> clientAuthorities() {
    return Optional.ofNullable(clientCa);
  }
}
