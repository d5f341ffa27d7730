package io.holdfast.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.agent.config.AgentSettings.FileSettings;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.client.Status;
import io.holdfast.testkit.FixedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMirrorTest {

  @TempDir Path dir;

  private static void await(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void content_andStatus_areMirrored_andTheCommandRunsAfterAChange() throws Exception {
    FixedConfig config = FixedConfig.builder().namespace("core", "{\"a\":1}").build();
    Path runs = dir.resolve("runs");
    FileSettings settings =
        new FileSettings(dir.resolve("out"), "echo run >> " + runs, Duration.ofMillis(10));
    Path content = FileMirror.contentFile(settings.directory(), "core");
    Path status = FileMirror.statusFile(settings.directory(), "core");
    FileMirror mirror =
        FileMirror.start(
            config,
            settings,
            new AgentMetrics(),
            Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC));
    try {
      await(() -> Files.exists(content) && Files.exists(status) && Files.exists(runs));
      assertThat(Files.readString(content)).isEqualTo("{\"a\":1}");
      assertThat(Files.readString(status)).contains("status=FRESH\n").contains("revision=1\n");

      config.status("core", Status.STALE, "replicas down\nsecond line");
      await(() -> Files.readString(status).contains("status=STALE"));
      // One line per key: a reason's line breaks are flattened.
      assertThat(Files.readString(status)).contains("reason=replicas down second line\n");
      assertThat(Files.readString(content)).isEqualTo("{\"a\":1}");

      config.publish("core", "{\"a\":2}");
      await(() -> Files.readString(content).equals("{\"a\":2}"));
      await(() -> Files.readAllLines(runs).size() == 2);
    } finally {
      mirror.close();
    }
    // No temporary file is left beside the mirrored ones.
    try (var files = Files.list(settings.directory())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("core.json", "core.json.status");
    }
  }
}
