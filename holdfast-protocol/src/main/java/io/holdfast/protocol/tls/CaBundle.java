package io.holdfast.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PEM bundle of certificate authorities that a client trusts instead of the JDK's own: the SDK's
 * {@code Builder.trustedCertificates} and the CLI's {@code --cacert}. Host names are still checked
 * (the JDK's HTTP client does that for every https connection), so a certificate signed by a
 * trusted authority for another name is refused. Stateless.
 */
public final class CaBundle {

  private CaBundle() {}

  /**
   * An SSL context whose trust is exactly the certificates in {@code pemBundle}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no PEM
   *     certificate
   */
  public static SSLContext sslContext(Path pemBundle) {
    List<Certificate> authorities = read(pemBundle);
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trust.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "the JDK could not build an SSL context: " + e.getMessage(), e);
    }
  }

  private static List<Certificate> read(Path pemBundle) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemBundle)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA bundle " + pemBundle + ": " + e, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "the CA bundle " + pemBundle + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the CA bundle " + pemBundle + " holds no certificate");
    }
    return new ArrayList<>(certificates);
  }
}
