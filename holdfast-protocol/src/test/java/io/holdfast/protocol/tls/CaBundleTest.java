package io.holdfast.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a PEM bundle of authorities into an SSL context, and the errors that name the file. */
class CaBundleTest {

  @TempDir Path dir;

  @Test
  void aBundleOfTwoAuthorities_makesAContext() throws Exception {
    Path bundle = dir.resolve("ca.pem");
    Files.writeString(bundle, authority("one") + authority("two"));

    SSLContext context = CaBundle.sslContext(bundle);

    assertThat(context.getProtocol()).isEqualTo("TLS");
  }

  @Test
  void aMissingFile_anEmptyOne_orGarbage_isRefusedNamingTheFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> CaBundle.sslContext(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read the CA bundle " + missing);
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> CaBundle.sslContext(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the CA bundle " + empty + " holds no certificate");
    Path garbage =
        Files.writeString(
            dir.resolve("garbage.pem"),
            "-----BEGIN CERTIFICATE-----\nnot base64\n" + "-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> CaBundle.sslContext(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the CA bundle " + garbage + " is not a PEM certificate bundle");
  }

  /** A self-signed authority's certificate in PEM, made by the JDK's keytool. */
  private String authority(String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        store.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        store.toString(),
        "-file",
        pem.toString());
    return Files.readString(pem);
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storepass", "changeit", "-storetype", "PKCS12"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
