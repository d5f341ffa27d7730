package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.holdfast.protocol.tls.CaBundle;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every admin verb takes: where the server is, which authorities vouch for it, and which
 * token to use.
 */
public final class AdminOptions {

  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:HOLDFAST_URL:-http://127.0.0.1:7070}",
      description = "Holdfast replica to talk to (env HOLDFAST_URL; default ${DEFAULT-VALUE}).")
  URI server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOLDFAST_TOKEN}",
      description = "Admin token (env HOLDFAST_TOKEN).")
  String token;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      defaultValue = "${env:HOLDFAST_CACERT}",
      description =
          "PEM bundle of the certificate authorities to trust for an https server, instead of the JDK's "
              + "(env HOLDFAST_CACERT).")
  Path caCert;

  public AdminClient client() {
    return new AdminClient(server, token, caCert == null ? null : CaBundle.sslContext(caCert));
  }

  public static void print(PrintWriter out, JsonNode node) {
    try {
      out.println(PRETTY.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree always serialises", e);
    }
    out.flush();
  }
}
