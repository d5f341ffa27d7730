package io.holdfast.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.cli.HoldfastCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code holdfast} command line run in-process: exit code, stdout and stderr. */
record KeysRun(int exit, String out, String err) {

  static KeysRun of(Object... args) {
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = String.valueOf(args[i]);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = HoldfastCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(strings);
    return new KeysRun(exit, out.toString(), err.toString());
  }

  /** Asserts success and returns this run. */
  KeysRun ok() {
    assertThat(exit).as("exit; stderr: %s; stdout: %s", err, out).isZero();
    return this;
  }

  /** Asserts that the command line was refused with exit 2, one precise message, no stack trace. */
  KeysRun refused(String message) {
    assertThat(exit).as("exit; stderr: %s; stdout: %s", err, out).isEqualTo(2);
    assertThat(err).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    return this;
  }
}
