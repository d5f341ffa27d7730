package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast ns set-layer --if-version}: a stale edit is refused with a clear message. */
class DraftConflictCommandTest {

  @TempDir Path dataDir;

  private HoldfastServer server;

  @BeforeEach
  void start() {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
    assertThat(CliRun.against(server, "ns", "create", "core").exit()).isZero();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void setLayerIfVersion_stagesOnce_thenRefusesTheStaleVersion() {
    CliRun first =
        CliRun.against(
            server,
            "ns",
            "set-layer",
            "core",
            "default",
            "--json",
            "{\"limit\":5}",
            "--if-version",
            "0");
    CliRun stale =
        CliRun.against(
            server,
            "ns",
            "set-layer",
            "core",
            "default",
            "--json",
            "{\"limit\":9}",
            "--if-version",
            "0");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.err()).contains("version 1, not 0").contains("(412)");
    assertThat(
            CliRun.against(
                    server,
                    "ns",
                    "set-layer",
                    "core",
                    "default",
                    "--json",
                    "{\"limit\":9}",
                    "--if-version",
                    "1")
                .exit())
        .isZero();
  }
}
