package io.holdfast.cli.upgrade;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code holdfast upgrade …}: upgrading Holdfast itself (issue 23). */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = "Upgrade Holdfast itself: check a replica of the new version before it serves.",
    subcommands = {UpgradeCheckCommand.class})
public final class UpgradeCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
