package io.holdfast.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private certificate authority and server certificates made with the JDK's own {@code keytool},
 * so that TLS failures (FAULTS A24) are produced by real certificates and the JDK's real checks: an
 * unknown issuer, an expired certificate, a name that does not match.
 */
public final class TestCertificates {

  private static final String PASSWORD = "changeit";

  private final Path directory;
  private final Path ca;

  private TestCertificates(Path directory) {
    this.directory = directory;
    this.ca = directory.resolve("ca.p12");
  }

  /** Creates the authority in {@code directory}. */
  public static TestCertificates create(Path directory) {
    TestCertificates certificates = new TestCertificates(directory);
    certificates.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=Holdfast Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "30",
        "-keystore",
        certificates.ca.toString());
    certificates.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        certificates.ca.toString(),
        "-file",
        directory.resolve("ca.pem").toString());
    return certificates;
  }

  /**
   * A server key and certificate signed by the authority, for {@code subjectAltName} (such as
   * {@code ip:127.0.0.1}), valid from {@code startDate} (keytool syntax, such as {@code -10d}) for
   * {@code days} days.
   */
  public SSLContext server(String name, String subjectAltName, String startDate, int days) {
    Path store = directory.resolve(name + ".p12");
    Path request = directory.resolve(name + ".csr");
    Path certificate = directory.resolve(name + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "30",
        "-keystore",
        store.toString());
    keytool(
        "-certreq", "-alias", "server", "-keystore", store.toString(), "-file", request.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-infile",
        request.toString(),
        "-outfile",
        certificate.toString(),
        "-ext",
        "san=" + subjectAltName,
        "-startdate",
        startDate,
        "-validity",
        Integer.toString(days));
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-keystore",
        store.toString(),
        "-file",
        directory.resolve("ca.pem").toString());
    keytool(
        "-importcert",
        "-alias",
        "server",
        "-keystore",
        store.toString(),
        "-file",
        certificate.toString());
    return keyContext(store);
  }

  /** A server key with a certificate it signed itself: no authority vouches for it. */
  public SSLContext selfSigned(String name, String subjectAltName) {
    Path store = directory.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "san=" + subjectAltName,
        "-validity",
        "30",
        "-keystore",
        store.toString());
    return keyContext(store);
  }

  /** A client context that trusts this authority only. */
  public SSLContext trustingThisAuthority() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(directory.resolve("ca.pem"))) {
        trust.setCertificateEntry(
            "ca",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext keyContext(Path store) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool "
                + String.join(" ", arguments)
                + " failed: "
                + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
