package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast blackout …}: calendar days on which nothing is released. */
@Command(
    name = "blackout",
    mixinStandardHelpOptions = true,
    description =
        "List, add and remove blackout dates: days on which no change reaches the fleet, a ring or"
            + " an instance (a back-out still does).")
final class BlackoutCommand {

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List every blackout, oldest first.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/blackouts"));
    return 0;
  }

  @Command(name = "add", description = "Add a blackout (publisher); prints it with its id.")
  int add(
      @Mixin AdminOptions admin,
      @Option(
              names = "--level",
              required = true,
              paramLabel = "global|ring|instance",
              description = "Whom it holds back: every instance, one ring's, or one instance.")
          String level,
      @Option(
              names = "--target",
              paramLabel = "NAME",
              description = "The ring's name or the instance's id; not for a global blackout.")
          String target,
      @Option(
              names = "--from",
              required = true,
              paramLabel = "YYYY-MM-DD",
              description = "The first day.")
          String from,
      @Option(
              names = "--to",
              paramLabel = "YYYY-MM-DD",
              description = "The last day, included (default: the first day).")
          String to,
      @Option(
              names = "--zone",
              paramLabel = "ZONE",
              description =
                  "The IANA zone whose calendar the days are in (default: each instance's own).")
          String zone,
      @Option(
              names = "--reason",
              required = true,
              paramLabel = "TEXT",
              description = "Why, e.g. 'Black Friday'.")
          String reason) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("level", level);
    if (target != null) {
      body.put("target", target);
    }
    body.put("from", from);
    if (to != null) {
      body.put("to", to);
    }
    if (zone != null) {
      body.put("zone", zone);
    }
    body.put("reason", reason);
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().post("/v1/admin/blackouts", body));
    return 0;
  }

  @Command(name = "remove", description = "Remove a blackout (publisher).")
  int remove(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    admin.client().delete("/v1/admin/blackouts/" + AdminClient.encode(id));
    spec.commandLine().getOut().println("removed blackout " + id);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
