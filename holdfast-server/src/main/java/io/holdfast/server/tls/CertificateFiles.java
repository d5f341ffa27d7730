package io.holdfast.server.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.holdfast.server.config.ConfigException;
import io.holdfast.server.config.TlsSettings;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * One reading of the replica's PEM files ({@code tls-cert}, {@code tls-key}, {@code tls-client-ca})
 * and the Helidon {@link Tls} made from them. Every failure is a {@link ConfigException} that names
 * the setting, the file and what is wrong, never a stack trace: at start it stops the replica, on
 * reload it is logged in one line and the loaded certificate stays ({@link ReplicaTls}).
 *
 * <p>TLS 1.2 and 1.3 only; on 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or
 * ChaCha20-Poly1305), so no CBC, RSA key exchange or SHA-1 MAC is ever negotiated.
 */
final class CertificateFiles {

  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final List<String> MODERN_SUITES =
      List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final TlsSettings settings;
  private final byte[] certificate;
  private final byte[] privateKey;
  private final byte[] clientCa;

  private CertificateFiles(
      TlsSettings settings, byte[] certificate, byte[] privateKey, byte[] clientCa) {
    this.settings = settings;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.clientCa = clientCa;
  }

  /** Reads the files' bytes. */
  static CertificateFiles read(TlsSettings settings) {
    return new CertificateFiles(
        settings,
        bytes("tls-cert", settings.certificate()),
        bytes("tls-key", settings.privateKey()),
        settings.clientCa() == null ? new byte[0] : bytes("tls-client-ca", settings.clientCa()));
  }

  /** The same bytes read before: nothing changed on disk. */
  boolean sameAs(CertificateFiles other) {
    return other != null
        && Arrays.equals(certificate, other.certificate)
        && Arrays.equals(privateKey, other.privateKey)
        && Arrays.equals(clientCa, other.clientCa);
  }

  /** A short digest of all three files, for log lines that must tell two versions apart. */
  String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(certificate);
      sha.update(privateKey);
      sha.update(clientCa);
      return HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses the files and checks that the key belongs to the certificate. */
  Loaded parse() {
    Keys keys;
    try {
      keys =
          Keys.builder()
              .pem(
                  pem ->
                      pem.key(Resource.create(settings.privateKey().toString(), privateKey))
                          .certChain(
                              Resource.create(settings.certificate().toString(), certificate)))
              .build();
    } catch (RuntimeException e) {
      throw new ConfigException(
          "tls-cert "
              + settings.certificate()
              + " and tls-key "
              + settings.privateKey()
              + " must be a PEM certificate chain and an unencrypted PEM private key: "
              + reason(e),
          e);
    }
    List<X509Certificate> chain = keys.certChain();
    if (chain.isEmpty()) {
      throw new ConfigException("tls-cert " + settings.certificate() + " holds no PEM certificate");
    }
    PrivateKey key =
        keys.privateKey()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "tls-key " + settings.privateKey() + " holds no PEM private key"));
    requireMatch(key, chain.get(0));
    List<X509Certificate> authorities = List.of();
    if (settings.clientCa() != null) {
      try {
        authorities =
            Keys.builder()
                .pem(
                    pem ->
                        pem.certificates(Resource.create(settings.clientCa().toString(), clientCa)))
                .build()
                .certs();
      } catch (RuntimeException e) {
        throw new ConfigException(
            "tls-client-ca "
                + settings.clientCa()
                + " must be a PEM certificate bundle: "
                + reason(e),
            e);
      }
      if (authorities.isEmpty()) {
        throw new ConfigException(
            "tls-client-ca " + settings.clientCa() + " holds no PEM certificate");
      }
    }
    var builder =
        Tls.builder()
            .privateKey(key)
            .privateKeyCertChain(chain)
            .enabledProtocols(PROTOCOLS)
            .enabledCipherSuites(modernSuites());
    if (!authorities.isEmpty()) {
      builder.trust(authorities).clientAuth(TlsClientAuth.REQUIRED);
    }
    try {
      return new Loaded(builder.build(), chain.get(0));
    } catch (RuntimeException e) {
      throw new ConfigException(
          "tls-cert " + settings.certificate() + " cannot be used: " + reason(e), e);
    }
  }

  /** A {@link Tls} and the certificate it presents. */
  record Loaded(Tls tls, X509Certificate certificate) {
    String describe() {
      return certificate.getSubjectX500Principal().getName()
          + ", valid until "
          + certificate.getNotAfter().toInstant();
    }
  }

  /**
   * A key that is not the certificate's would load and then fail every handshake; a rotation that
   * wrote the new certificate but not yet its key must be refused, not served.
   */
  private void requireMatch(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // A key of another type than the certificate's lands here too.
    }
    throw new ConfigException(
        "tls-key "
            + settings.privateKey()
            + " is not the private key of the certificate in tls-cert "
            + settings.certificate()
            + " ("
            + certificate.getSubjectX500Principal().getName()
            + ")");
  }

  private static List<String> modernSuites() {
    try {
      Set<String> supported =
          Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
      return MODERN_SUITES.stream()
          .filter(supported::contains)
          .collect(Collectors.toUnmodifiableList());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String key, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key + " " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(key + " " + file + " cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new ConfigException(key + " " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }
}
