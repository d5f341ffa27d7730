package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast agent} refuses wrong settings with a precise message and exit code 2. */
class AgentCommandTest {

  @TempDir Path dir;

  @Test
  void agent_onAPublicAddressWithoutTheFlag_refusesToStart() throws Exception {
    Path config = dir.resolve("agent.properties");
    Files.writeString(
        config,
        """
        holdfast.replicas=http://127.0.0.1:9
        holdfast.instance-id=acme-prod
        holdfast.credential=hfi_0123456789abcdef0123456789abcdef
        holdfast.trusted-keys=MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        holdfast.namespaces=core
        holdfast.agent.listen=0.0.0.0:0
        """);
    CliRun run = CliRun.raw("agent", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("holdfast.agent.listen: 0.0.0.0:0 is not a loopback address")
        .contains("--allow-public-address");
    assertThat(run.out()).doesNotContain("serving");
  }

  @Test
  void agent_withAnUnknownSetting_namesIt() throws Exception {
    Path config = dir.resolve("agent.properties");
    Files.writeString(config, "holdfast.replica=http://127.0.0.1:9\n");
    CliRun run = CliRun.raw("agent", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown setting 'holdfast.replica'");
  }
}
