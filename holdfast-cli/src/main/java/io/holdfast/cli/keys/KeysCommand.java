package io.holdfast.cli.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys …}: the offline root of trust and the key sets it signs (issue 19). The
 * commands here never talk to a replica; run them on the machine that holds the root keys.
 *
 * <p>Exit codes: 0 done; 2 the command line or an input file is wrong (one line says which and
 * why); {@value #EXIT_UNTRUSTED} {@code inspect --root} found a key set that a client pinning that
 * root would refuse.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "The offline root of trust and the key sets it signs: which online keys may sign documents.",
    subcommands = {
      InitRootCommand.class,
      SignKeySetCommand.class,
      CosignCommand.class,
      InspectCommand.class
    })
public final class KeysCommand implements Runnable {

  /** {@code inspect --root}: a client pinning that root would refuse the key set. */
  public static final int EXIT_UNTRUSTED = 5;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
