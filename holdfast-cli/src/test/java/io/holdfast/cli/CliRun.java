package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.HoldfastServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The outcome of one {@code holdfast} command line run in-process: exit code, stdout and stderr.
 */
record CliRun(int exit, String out, String err) {

  private static final ObjectMapper JSON = new ObjectMapper();

  JsonNode json() throws IOException {
    return JSON.readTree(out);
  }

  /** Runs the command line exactly as given. */
  static CliRun raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = HoldfastCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Runs an admin verb against {@code server} with its bootstrap admin token. */
  static CliRun against(HoldfastServer server, String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--server";
    full[args.length + 1] = "http://127.0.0.1:" + server.port();
    full[args.length + 2] = "--token";
    full[args.length + 3] = server.adminToken();
    return raw(full);
  }
}
