package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority for TLS tests, made with the JDK's own {@code keytool}, and
 * certificates it signs written as the PEM files a replica is configured with: a certificate chain
 * and a PKCS#8 private key. Expired certificates, wrong names and unknown authorities are real, so
 * the JDK's real checks refuse them. For one thread, a test's setup.
 */
public final class TestPki {

  private static final String PASSWORD = "changeit";

  private final Path directory;
  private final Path store;
  private final Path caPem;

  /** A certificate and its key, as PEM files, and the PKCS#12 store holding both. */
  public record Issued(Path certificate, Path privateKey, Path keyStore) {

    /** Copies these files over {@code target}'s, as a certificate rotation writes them in place. */
    public void copyOver(Issued target) {
      try {
        Files.copy(certificate, target.certificate(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(privateKey, target.privateKey(), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A client context presenting this certificate and trusting {@code authority}. */
    public SSLContext clientContext(TestPki authority) {
      return context(keyStore, authority);
    }
  }

  private TestPki(Path directory, String name) {
    this.directory = directory;
    this.store = directory.resolve(name + "-ca.p12");
    this.caPem = directory.resolve(name + "-ca.pem");
  }

  /** Creates an authority named {@code name} with its files in {@code directory}. */
  public static TestPki create(Path directory, String name) {
    TestPki pki = new TestPki(directory, name);
    pki.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name + " Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "30",
        "-keystore",
        pki.store.toString());
    pki.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        pki.store.toString(),
        "-file",
        pki.caPem.toString());
    return pki;
  }

  /** The authority's certificate, a PEM bundle clients trust. */
  public Path caCertificate() {
    return caPem;
  }

  /** A certificate for {@code 127.0.0.1} and {@code localhost}, valid now for 30 days. */
  public Issued server(String name) {
    return issue(name, "ip:127.0.0.1,dns:localhost", "-1d", 30);
  }

  /**
   * A certificate signed by this authority.
   *
   * @param subjectAltName keytool syntax, such as {@code ip:127.0.0.1,dns:localhost}
   * @param startDate keytool syntax, such as {@code -10d}
   * @param days validity from {@code startDate}
   */
  public Issued issue(String name, String subjectAltName, String startDate, int days) {
    Path keys = directory.resolve(name + ".p12");
    Path request = directory.resolve(name + ".csr");
    Path signed = directory.resolve(name + "-signed.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "key",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "30",
        "-keystore",
        keys.toString());
    keytool("-certreq", "-alias", "key", "-keystore", keys.toString(), "-file", request.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        store.toString(),
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
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
        keys.toString(),
        "-file",
        caPem.toString());
    keytool(
        "-importcert", "-alias", "key", "-keystore", keys.toString(), "-file", signed.toString());
    return writePem(name, keys);
  }

  /** A certificate that signed itself: no authority vouches for it. */
  public Issued selfSigned(String name) {
    Path keys = directory.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        "key",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-validity",
        "30",
        "-keystore",
        keys.toString());
    return writePem(name, keys);
  }

  /** A client context that trusts this authority only and presents no certificate. */
  public SSLContext trustingContext() {
    return context(null, this);
  }

  private Issued writePem(String name, Path keys) {
    try {
      KeyStore keyStore = load(keys);
      Key key = keyStore.getKey("key", PASSWORD.toCharArray());
      StringBuilder chain = new StringBuilder();
      for (Certificate certificate : keyStore.getCertificateChain("key")) {
        chain.append(pem("CERTIFICATE", certificate.getEncoded()));
      }
      Path certificate = directory.resolve(name + "-chain.pem");
      Path privateKey = directory.resolve(name + "-key.pem");
      Files.writeString(certificate, chain);
      Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()));
      return new Issued(certificate, privateKey, keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static SSLContext context(Path keys, TestPki authority) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(authority.caPem)) {
        trust.setCertificateEntry(
            "ca",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory trustFactory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustFactory.init(trust);
      KeyManagerFactory keyFactory = null;
      if (keys != null) {
        keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(load(keys), PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyFactory == null ? null : keyFactory.getKeyManagers(),
          trustFactory.getTrustManagers(),
          null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path keys) throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
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
