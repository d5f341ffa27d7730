package io.holdfast.cli.keys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast keys …}: the trust lifecycle (issue 19). The offline root signs key sets ({@code
 * init-root}, {@code sign-keyset}, {@code cosign}, {@code inspect}: run them on the machine that
 * holds the root keys; they never talk to a replica); the replicas store and serve them ({@code
 * publish}, {@code status}); clients pinning the root trust the signing keys they list.
 *
 * <p>Exit codes of the offline commands: 0 done; 2 the command line or an input file is wrong (one
 * line says which and why); {@value #EXIT_UNTRUSTED} {@code inspect --root} found a key set that a
 * client pinning that root would refuse. {@code publish} and {@code status} use the admin commands'
 * codes.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "The offline root of trust and the key sets it signs (which online keys may sign"
            + " documents); publish a key set to the replicas and show what they serve.",
    subcommands = {
      InitRootCommand.class,
      SignKeySetCommand.class,
      CosignCommand.class,
      InspectCommand.class,
      KeysPublishCommand.class,
      KeysStatusCommand.class
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
