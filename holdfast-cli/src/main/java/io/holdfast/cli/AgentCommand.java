package io.holdfast.cli;

import io.holdfast.agent.Agent;
import io.holdfast.agent.AgentMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast agent}: runs the local agent (module {@code holdfast-agent}, docs/agent.md) until
 * stopped by a signal. Everything but the two options below is read from the settings file and the
 * environment, under the names the SDK and the Spring Boot starter use.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the SDK as a local daemon: an instance's verified documents, their status and its seats"
          + " over loopback HTTP, for programs in any language (docs/agent.md).",
      "Exit codes: 1 could not start, 2 wrong settings."
    })
final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (holdfast.* properties); the environment wins over it.")
  Path config;

  @Option(
      names = "--allow-public-address",
      description =
          "Allow listening on an address other than loopback (documents are served without TLS).")
  boolean allowPublicAddress;

  @Override
  public Integer call() throws InterruptedException {
    AgentMain.Launch launch =
        AgentMain.start(
            config,
            allowPublicAddress,
            System.getenv(),
            spec.commandLine().getOut(),
            spec.commandLine().getErr());
    Agent agent = launch.agent();
    if (agent == null) {
      return launch.exitCode();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "holdfast-agent-shutdown"));
    agent.awaitClosed();
    return 0;
  }
}
