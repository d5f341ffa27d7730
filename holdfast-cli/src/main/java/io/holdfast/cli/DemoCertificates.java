package io.holdfast.cli;

import io.holdfast.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The throwaway certificates of {@code holdfast demo --tls}: a new certificate authority, and one
 * certificate it signs for the demo's replicas, made with the JDK's own {@code keytool}. Written as
 * PEM files: the authority's certificate ({@code ca.pem}, for {@code curl --cacert} and {@code
 * holdfast --cacert}), the replicas' certificate chain and its private key (owner-only). The
 * authority's private key is deleted once the certificate is signed, so {@code ca.pem} vouches for
 * this one certificate and nothing else, even if someone trusts it too widely.
 *
 * @param authority the authority's certificate, the file clients trust
 * @param certificate the replicas' certificate chain, their own certificate first
 * @param privateKey the certificate's private key, PKCS#8
 */
record DemoCertificates(Path authority, Path certificate, Path privateKey) {

  /** Certificates are short-lived: the demo makes new ones at every start. */
  private static final int VALIDITY_DAYS = 30;

  /**
   * Makes a new authority and a certificate for {@code names} (keytool's subject alternative name
   * syntax, such as {@code ip:127.0.0.1,dns:localhost}) in {@code directory}, replacing those of an
   * earlier start.
   */
  static DemoCertificates create(Path directory, String names) throws IOException {
    Path authority = directory.resolve("ca.pem");
    Path certificate = directory.resolve("tls").resolve("replica-chain.pem");
    Path privateKey = directory.resolve("tls").resolve("replica-key.pem");
    Files.createDirectories(directory);
    Path work = Files.createTempDirectory(directory.toAbsolutePath(), ".tls-");
    try {
      // The stores live only as long as this method: a random password each time.
      String password = HexFormat.of().formatHex(randomBytes(16));
      Path caStore = work.resolve("ca.p12");
      Path replicaStore = work.resolve("replica.p12");
      Path request = work.resolve("replica.csr");
      Path signed = work.resolve("replica.pem");
      Path caPem = work.resolve("ca.pem");
      keytool(
          password,
          "-genkeypair",
          "-alias",
          "ca",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=Holdfast demo CA (throwaway)",
          "-ext",
          "bc:c",
          "-validity",
          Integer.toString(VALIDITY_DAYS),
          "-keystore",
          caStore.toString());
      keytool(
          password,
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          caStore.toString(),
          "-file",
          caPem.toString());
      keytool(
          password,
          "-genkeypair",
          "-alias",
          "replica",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=Holdfast demo replica",
          "-validity",
          Integer.toString(VALIDITY_DAYS),
          "-keystore",
          replicaStore.toString());
      keytool(
          password,
          "-certreq",
          "-alias",
          "replica",
          "-keystore",
          replicaStore.toString(),
          "-file",
          request.toString());
      keytool(
          password,
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          caStore.toString(),
          "-infile",
          request.toString(),
          "-outfile",
          signed.toString(),
          "-ext",
          "san=" + names,
          "-validity",
          Integer.toString(VALIDITY_DAYS));

      String caText = Files.readString(caPem, StandardCharsets.US_ASCII);
      AtomicFiles.writeOwnerOnly(
          certificate,
          (Files.readString(signed, StandardCharsets.US_ASCII) + caText)
              .getBytes(StandardCharsets.US_ASCII));
      AtomicFiles.writeOwnerOnly(
          privateKey,
          pem("PRIVATE KEY", privateKey(replicaStore, password))
              .getBytes(StandardCharsets.US_ASCII));
      AtomicFiles.writeOwnerOnly(authority, caText.getBytes(StandardCharsets.US_ASCII));
      return new DemoCertificates(authority, certificate, privateKey);
    } finally {
      deleteTree(work);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static byte[] privateKey(Path store, String password) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password.toCharArray());
      Key key = keys.getKey("replica", password.toCharArray());
      return key.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("keytool wrote a key store the JDK cannot read", e);
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

  private static void keytool(String password, String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            "keytool "
                + arguments[0]
                + " failed: "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the demo's certificates", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the demo's temporary key stores in " + root, e);
    }
  }
}
