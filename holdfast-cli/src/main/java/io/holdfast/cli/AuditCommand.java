package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code holdfast audit …}: read the audit log and check its hash chain. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Read the audit log and verify its hash chain.")
final class AuditCommand {

  @Spec CommandSpec spec;

  @Command(
      name = "list",
      description = "Audit entries, newest first, with the chain's verification.")
  int list(
      @Mixin AdminOptions admin,
      @Option(names = "--action", description = "e.g. subscription.change") String action,
      @Option(
              names = "--target",
              description = "e.g. subscription:<id>, or a prefix such as subscription:")
          String target,
      @Option(names = "--actor", description = "e.g. admin:ops") String actor,
      @Option(
              names = "--since",
              paramLabel = "TIME",
              description = "RFC 3339, e.g. 2026-11-25T00:00:00Z")
          String since,
      @Option(names = "--limit", description = "At most this many (1-1000, default 100).")
          Integer limit) {
    String query =
        new QueryString()
            .add("action", action)
            .add("target", target)
            .add("actor", actor)
            .add("since", since)
            .add("limit", limit)
            .toString();
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/audit" + query));
    return 0;
  }

  @Command(
      name = "verify",
      description =
          "Walk the hash chain; exit "
              + HoldfastCommand.EXIT_AUDIT_BROKEN
              + " if a row was changed or removed.")
  int verify(@Mixin AdminOptions admin) {
    JsonNode verification = admin.client().get("/v1/admin/audit/verify");
    AdminOptions.print(spec.commandLine().getOut(), verification);
    if (!verification.path("intact").asBoolean(false)) {
      spec.commandLine()
          .getErr()
          .println("error: the audit chain is broken: " + verification.path("problem").asText());
      spec.commandLine().getErr().flush();
      return HoldfastCommand.EXIT_AUDIT_BROKEN;
    }
    return 0;
  }
}
