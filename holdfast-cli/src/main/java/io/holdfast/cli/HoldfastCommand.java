package io.holdfast.cli;

import io.holdfast.cli.gameday.GamedayCommand;
import io.holdfast.cli.keys.KeysCommand;
import io.holdfast.cli.upgrade.UpgradeCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code holdfast} command. Exit codes: 0 success, 1 the server refused the request (its
 * problem is printed), 2 the command line is wrong, 3 the server could not be reached, 4 the audit
 * chain is broken ({@code audit verify}), 5 a probe check failed ({@code probe}), 6 a game day
 * missed an expectation ({@code gameday}), 7 the candidate differs from the current replicas
 * ({@code upgrade check}), 8 the replicas never settled at one revision ({@code upgrade check}).
 */
@Command(
    name = "holdfast",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Configuration and subscriptions for fleets of instances, served so that a broken config service never takes an instance down.",
    subcommands = {
      ServerCommand.class,
      AgentCommand.class,
      io.holdfast.cli.soak.SoakCommand.class,
      DemoCommand.class,
      InstanceCommand.class,
      NamespaceCommand.class,
      RingCommand.class,
      BlackoutCommand.class,
      ChangeCommand.class,
      CredentialCommand.class,
      ApplicationCommand.class,
      SubscriptionCommand.class,
      AuditCommand.class,
      ProbeCommand.class,
      FleetCommand.class,
      GamedayCommand.class,
      KeysCommand.class,
      UpgradeCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class HoldfastCommand implements Runnable {

  /** The server answered with an error. */
  public static final int EXIT_REFUSED = 1;

  /** The server could not be reached. */
  public static final int EXIT_UNREACHABLE = 3;

  /** {@code audit verify} found a broken link in the audit chain. */
  public static final int EXIT_AUDIT_BROKEN = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new HoldfastCommand());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof AdminClient.RefusedException refused) {
            commandLine.getErr().println("error: " + refused.getMessage());
            return EXIT_REFUSED;
          }
          if (ex instanceof AdminClient.UnreachableException unreachable) {
            commandLine.getErr().println("error: " + unreachable.getMessage());
            return EXIT_UNREACHABLE;
          }
          if (ex instanceof CommandLine.ParameterException) {
            throw ex;
          }
          if (ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return CommandLine.ExitCode.USAGE;
          }
          throw ex;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
