package io.holdfast.server.auth;

import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap admin token a replica starts with: the configured one, or the one kept in {@code
 * <data-dir>/admin-token}, generated (owner-only) on the first start. Stateless.
 */
public final class BootstrapTokenFile {

  private static final Logger LOG = LoggerFactory.getLogger(BootstrapTokenFile.class);

  private BootstrapTokenFile() {}

  public static String read(ServerConfig config, CredentialTokens tokens) {
    if (config.adminToken() != null) {
      return config.adminToken();
    }
    Path file = config.dataDirectory().resolve("admin-token");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String token = tokens.newAdminToken();
      AtomicFiles.writeOwnerOnly(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
      LOG.info("generated the bootstrap admin token into {}", file);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token file " + file, e);
    }
  }
}
