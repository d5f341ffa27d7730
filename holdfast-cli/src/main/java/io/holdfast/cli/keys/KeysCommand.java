package io.holdfast.cli.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys …}: the trust lifecycle (issue 19). The offline root signs key sets; the
 * replicas store and serve them; clients pinning the root trust the signing keys they list.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Root of trust and key sets: publish a signed key set, show what replicas serve.",
    subcommands = {KeysPublishCommand.class, KeysStatusCommand.class})
public final class KeysCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
