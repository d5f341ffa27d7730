package io.holdfast.cli;

import java.io.IOException;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Starts the demo in-process as {@code holdfast demo} would, on free loopback ports. */
final class DemoRun {

  private DemoRun() {}

  /** {@code holdfast demo --port 0 --second-port 0 OPTIONS}, started; the caller closes it. */
  static DemoCommand.Running onFreePorts(String... options) throws IOException {
    String[] args =
        Stream.concat(Stream.of("demo", "--port", "0", "--second-port", "0"), Stream.of(options))
            .toArray(String[]::new);
    CommandLine.ParseResult parsed = HoldfastCommand.commandLine().parseArgs(args);
    return ((DemoCommand) parsed.subcommand().commandSpec().userObject()).start();
  }
}
