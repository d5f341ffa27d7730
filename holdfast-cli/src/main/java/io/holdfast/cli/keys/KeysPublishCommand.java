package io.holdfast.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.cli.AdminOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys publish FILE}: sends a signed key set to a replica ({@code PUT
 * /v1/admin/keyset}) byte for byte, and prints the version it serves now. A refusal (older,
 * expired, not signed by the root) prints the replica's reason and exits 1, as every admin verb.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Publish a signed key set (from keys sign-keyset) to the replicas through one of them.")
final class KeysPublishCommand implements Callable<Integer> {

  /** Larger files are refused before reading: no key set is this big (the limit is 64 KiB). */
  private static final long MAX_FILE_BYTES = 1024 * 1024;

  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Parameters(index = "0", paramLabel = "FILE", description = "The signed key set (JSON).")
  Path file;

  @Override
  public Integer call() {
    byte[] body = read(file);
    JsonNode answer = admin.client().putBytes("/v1/admin/keyset", body);
    PrintWriter out = spec.commandLine().getOut();
    long version = answer.path("version").asLong();
    if (answer.path("created").asBoolean()) {
      out.println("published key set version " + version);
    } else {
      out.println("key set version " + version + " was published already; nothing changed");
    }
    out.flush();
    return 0;
  }

  private static byte[] read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            file + " is " + Files.size(file) + " bytes; that is no key set");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
