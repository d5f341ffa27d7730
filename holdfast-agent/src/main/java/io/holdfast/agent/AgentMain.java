package io.holdfast.agent;

import io.holdfast.agent.config.AgentSettings;
import io.holdfast.agent.config.AgentSettingsReader;
import io.holdfast.agent.config.SettingsSource;
import io.holdfast.client.HoldfastUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the agent as its own process, with the smallest class path (the agent, the SDK, Jackson and
 * the JDBC drivers), for the fastest start: {@code java -cp ... io.holdfast.agent.AgentMain
 * --config /etc/holdfast/agent.properties}. {@code holdfast agent} in the CLI runs the same. Exit
 * codes: 0 stopped by a signal, 1 could not start (an address in use, no copy of a namespace under
 * {@code when-unavailable=fail}), 2 the settings or the command line are wrong.
 */
public final class AgentMain {

  public static final int EXIT_NOT_STARTED = 1;
  public static final int EXIT_USAGE = 2;

  static final String USAGE =
      "usage: holdfast agent [--config FILE] [--allow-public-address]\n"
          + "  --config FILE            settings (holdfast.* as in docs/agent.md); the environment"
          + " (HOLDFAST_REPLICAS, ...) wins over it\n"
          + "  --allow-public-address   allow listening on an address other than loopback\n";

  private AgentMain() {}

  /**
   * What a start came to: a running agent, or none and the exit code to end with.
   *
   * @param agent the running agent, or {@code null}
   * @param exitCode meaningful when {@code agent} is {@code null}
   */
  public record Launch(Agent agent, int exitCode) {}

  public static void main(String[] args) throws InterruptedException {
    Launch launch =
        start(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true));
    if (launch.agent() == null) {
      System.exit(launch.exitCode());
    }
    Agent agent = launch.agent();
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "holdfast-agent-shutdown"));
    agent.awaitClosed();
  }

  /**
   * Reads the settings and starts the agent, printing the addresses it serves on {@code out} (a
   * line starting {@code holdfast agent: serving}), or what is wrong on {@code err}.
   *
   * @return the running agent, or the exit code when it did not start
   */
  public static Launch start(
      String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    Path config = null;
    boolean allowPublic = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 == args.length) {
            return fail(err, EXIT_USAGE, "--config needs a file\n" + USAGE);
          }
          config = Path.of(args[++i]);
        }
        case "--allow-public-address" -> allowPublic = true;
        case "--help", "-h" -> {
          out.print(USAGE);
          return new Launch(null, 0);
        }
        default -> {
          return fail(err, EXIT_USAGE, "unknown argument '" + args[i] + "'\n" + USAGE);
        }
      }
    }
    return start(config, allowPublic, environment, out, err);
  }

  /** {@link #start(String[], Map, PrintWriter, PrintWriter)} with the arguments read. */
  public static Launch start(
      Path config,
      boolean allowPublicAddress,
      Map<String, String> environment,
      PrintWriter out,
      PrintWriter err) {
    AgentSettings settings;
    try {
      settings =
          AgentSettingsReader.read(SettingsSource.read(config, environment), allowPublicAddress);
    } catch (IllegalArgumentException e) {
      return fail(err, EXIT_USAGE, e.getMessage());
    }
    Agent agent;
    try {
      agent = Agent.start(settings);
    } catch (IOException e) {
      return fail(err, EXIT_NOT_STARTED, "holdfast agent: cannot start: " + e);
    } catch (HoldfastUnavailableException | IllegalArgumentException | IllegalStateException e) {
      return fail(err, EXIT_NOT_STARTED, "holdfast agent: cannot start: " + e.getMessage());
    }
    if (!settings.listen().loopback() || !settings.managementListen().loopback()) {
      err.println(
          "holdfast agent: WARNING: --allow-public-address: listening on "
              + settings.listen()
              + " and "
              + settings.managementListen()
              + "; every host that reaches them reads the documents, without TLS");
    }
    out.println(
        "holdfast agent: serving "
            + settings.client().namespaces()
            + " on http://"
            + hostPort(agent.address())
            + " (health and metrics on http://"
            + hostPort(agent.managementAddress())
            + ")"
            + (settings.seats() == null ? "" : ", seats on " + settings.seats().jdbcUrl()));
    out.flush();
    return new Launch(agent, 0);
  }

  private static String hostPort(java.net.InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static Launch fail(PrintWriter err, int code, String message) {
    err.println(message);
    err.flush();
    return new Launch(null, code);
  }
}
