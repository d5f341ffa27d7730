package io.holdfast.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's settings from file, environment and flags, like every other setting. */
class ProbeSettingsTest {

  @TempDir Path directory;

  private ServerConfig load(Map<String, String> env, Map<String, String> flags) {
    return ServerConfigLoader.load(null, env, withDataDir(flags));
  }

  private Map<String, String> withDataDir(Map<String, String> flags) {
    Map<String, String> all = new java.util.HashMap<>(flags);
    all.put("data-dir", directory.toString());
    return all;
  }

  @Test
  void loadedConfig_probesByDefault_everyTenSeconds_thisReplicaOnly() {
    ProbeSettings probe = load(Map.of(), Map.of()).probe();

    assertThat(probe.enabled()).isTrue();
    assertThat(probe.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(probe.targets()).isEmpty();
    assertThat(probe.lagTolerance()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void builtConfig_doesNotProbeUnlessAsked() {
    assertThat(ServerConfig.builder(directory).build().probe()).isEqualTo(ProbeSettings.DISABLED);
  }

  @Test
  void environmentAndFlags_setEverySetting_flagsWinning() {
    ProbeSettings probe =
        load(
                Map.of(
                    "HOLDFAST_PROBE_TARGETS",
                    "http://10.0.0.1:7070, https://replica-b.example:7443/",
                    "HOLDFAST_PROBE_INTERVAL",
                    "30s",
                    "HOLDFAST_PROBE_ENABLED",
                    "true"),
                Map.of("probe-enabled", "false", "probe-lag-tolerance", "2m"))
            .probe();

    assertThat(probe.enabled()).isFalse();
    assertThat(probe.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(probe.lagTolerance()).isEqualTo(Duration.ofMinutes(2));
    assertThat(probe.targets())
        .containsExactly(
            URI.create("http://10.0.0.1:7070"), URI.create("https://replica-b.example:7443/"));
  }

  @Test
  void badValues_stopStartUp_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("probe-interval", "100ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probe-interval");
    assertThatThrownBy(() -> load(Map.of(), Map.of("probe-enabled", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probe-enabled");
    assertThatThrownBy(() -> load(Map.of(), Map.of("probe-targets", "ftp://replica")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probe-targets");
    assertThatThrownBy(() -> load(Map.of(), Map.of("probe-targets", "http://replica?x=1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probe-targets");
    assertThatThrownBy(
            () ->
                new ProbeSettings(true, Duration.ofSeconds(10), List.of(), Duration.ofSeconds(-1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("probe-lag-tolerance");
  }
}
