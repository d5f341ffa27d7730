package io.holdfast.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsReaderTest {

  @TempDir Path dir;

  private final Map<String, String> env = new HashMap<>();

  private Map<String, String> minimal() throws Exception {
    env.putAll(AgentEnvironments.minimal());
    return env;
  }

  private AgentSettings read(String file, boolean allowPublic) throws Exception {
    Path path = null;
    if (file != null) {
      path = dir.resolve("agent.properties");
      Files.writeString(path, file);
    }
    return AgentSettingsReader.read(SettingsSource.read(path, env), allowPublic);
  }

  @Test
  void environment_winsOverTheFile_underTheStartersNames() throws Exception {
    minimal();
    env.put("HOLDFAST_GRACE", "2h");
    AgentSettings settings = read("holdfast.grace=8h\nholdfast.poll-interval=PT30S\n", false);
    assertThat(settings.client().grace()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.client().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.client().namespaces()).containsExactly("core", "subscriptions");
    assertThat(settings.listen().toString()).isEqualTo("127.0.0.1:7070");
    assertThat(settings.managementListen().toString()).isEqualTo("127.0.0.1:7071");
    // Starts at once on the disk cache unless told to wait.
    assertThat(settings.client().startupTimeout()).isZero();
    assertThat(settings.client().failWhenUnavailable()).isFalse();
  }

  @Test
  void unknownSettingInTheFile_isRefused_namingTheKnownOnes() throws Exception {
    minimal();
    assertThatThrownBy(() -> read("holdfast.grace-period=8h\n", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown setting 'holdfast.grace-period'")
        .hasMessageContaining("holdfast.grace,");
  }

  @Test
  void everyMissingOrMalformedSetting_isNamedAtOnce() {
    env.put("HOLDFAST_REPLICAS", "ftp://somewhere");
    env.put("HOLDFAST_STALE_AFTER", "soon");
    assertThatThrownBy(() -> read(null, false))
        .hasMessageContaining("holdfast.replicas: 'ftp://somewhere'")
        .hasMessageContaining("holdfast.instance-id: required")
        .hasMessageContaining("holdfast.credential: required")
        .hasMessageContaining("holdfast.trusted-keys or holdfast.trusted-root")
        .hasMessageContaining("holdfast.namespaces: name at least one")
        .hasMessageContaining("holdfast.stale-after: 'soon' is not a duration");
  }

  @Test
  void publicAddress_isRefusedWithoutTheFlag_andAcceptedWithIt() throws Exception {
    minimal();
    env.put("HOLDFAST_AGENT_LISTEN", "0.0.0.0:7070");
    assertThatThrownBy(() -> read(null, false))
        .hasMessageContaining("holdfast.agent.listen: 0.0.0.0:7070 is not a loopback address")
        .hasMessageContaining("--allow-public-address");
    assertThat(read(null, true).listen().loopback()).isFalse();
  }

  @Test
  void seats_needTheSubscriptionsNamespace_andAnOwnerOnlyToken() throws Exception {
    minimal();
    env.put("HOLDFAST_NAMESPACES", "core");
    env.put("HOLDFAST_AGENT_SEATS_JDBC_URL", "jdbc:sqlite:" + dir.resolve("seats.db"));
    assertThatThrownBy(() -> read(null, false))
        .hasMessageContaining("add it to holdfast.namespaces")
        .hasMessageContaining("holdfast.agent.token-file: required with seats");

    env.put("HOLDFAST_NAMESPACES", "core,subscriptions");
    Path token = dir.resolve("token");
    Files.writeString(token, "a-long-enough-seat-token-0123456789\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    env.put("HOLDFAST_AGENT_TOKEN_FILE", token.toString());
    assertThatThrownBy(() -> read(null, false)).hasMessageContaining("readable by every user");

    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    AgentSettings settings = read(null, false);
    assertThat(settings.seatToken()).isEqualTo("a-long-enough-seat-token-0123456789");
    assertThat(settings.seats().table()).isEqualTo("holdfast_seats");
    assertThat(settings.seats().toString()).doesNotContain("password");
  }
}
