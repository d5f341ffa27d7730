package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast fleet …}: instances as their heartbeats report them. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "The fleet by state, ring, revision lag, last contact and grace remaining.")
final class FleetCommand {

  @Spec CommandSpec spec;

  @Command(
      name = "list",
      description = "List instances with their state; prints a table, or JSON with --json.")
  int list(
      @Mixin AdminOptions admin,
      @Option(
              names = "--state",
              description = "fresh, stale, expired, initializing, silent or unreported.")
          String state,
      @Option(names = "--ring", description = "Only this ring.") String ring,
      @Option(
              names = "--min-lag",
              paramLabel = "REVISIONS",
              description = "Only instances at least this far behind.")
          Long minLag,
      @Option(
              names = "--silent-for",
              paramLabel = "DURATION",
              description = "Not heard from for this long, e.g. 5m.")
          String silentFor,
      @Option(
              names = "--grace-below",
              paramLabel = "DURATION",
              description = "Less grace left than this, e.g. 1h.")
          String graceBelow,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    List<String> query = new ArrayList<>();
    add(query, "state", state);
    add(query, "ring", ring);
    add(query, "minLag", minLag == null ? null : minLag.toString());
    add(query, "silentFor", silentFor);
    add(query, "graceBelow", graceBelow);
    JsonNode view =
        admin
            .client()
            .get("/v1/admin/fleet" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      AdminOptions.print(out, view);
      return 0;
    }
    out.printf(
        "%-30s %-10s %-12s %-24s %5s %10s  %s%n",
        "INSTANCE", "RING", "STATE", "LAST CONTACT", "LAG", "GRACE", "REASON");
    for (JsonNode i : view.path("instances")) {
      out.printf(
          "%-30s %-10s %-12s %-24s %5d %10s  %s%n",
          i.path("instance").asText(),
          i.path("ring").asText(),
          i.path("state").asText(),
          i.path("lastContact").isNull() ? "never" : i.path("lastContact").asText(),
          i.path("revisionLag").asLong(),
          grace(i.path("graceRemainingSeconds")),
          i.path("reason").isNull() ? "" : i.path("reason").asText());
    }
    StringBuilder counts = new StringBuilder();
    view.path("counts")
        .properties()
        .forEach(
            e ->
                counts
                    .append(counts.isEmpty() ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue().asInt()));
    out.println(counts);
    out.flush();
    return 0;
  }

  @Command(
      name = "show",
      description = "One instance: state, latest heartbeat and served revisions (JSON).")
  int show(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().get("/v1/admin/fleet/" + AdminClient.encode(id)));
    return 0;
  }

  private static void add(List<String> query, String name, String value) {
    if (value != null) {
      query.add(name + "=" + AdminClient.encode(value));
    }
  }

  private static String grace(JsonNode seconds) {
    if (seconds.isNull() || seconds.isMissingNode()) {
      return "-";
    }
    long s = seconds.asLong();
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
