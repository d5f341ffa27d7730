package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast ring …}: rollout rings. */
@Command(
    name = "ring",
    mixinStandardHelpOptions = true,
    description =
        "List and create rollout rings; change their bake times, health gates and change windows.")
final class RingCommand {

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List rings in rollout order.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/rings"));
    return 0;
  }

  @Command(name = "create", description = "Create a ring.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--position",
              required = true,
              description = "Place in the rollout order (0 first).")
          int position,
      @Option(
              names = "--bake",
              defaultValue = "0s",
              description = "Bake time, e.g. 24h (default ${DEFAULT-VALUE}).")
          String bake) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("position", position);
    body.put("bakeTime", bake);
    AdminOptions.print(spec.commandLine().getOut(), admin.client().post("/v1/admin/rings", body));
    return 0;
  }

  @Command(
      name = "update",
      description =
          "Change a ring's bake time, health gate and change window (admin); options not"
              + " given stay as they are.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--bake-time",
              paramLabel = "DURATION",
              description =
                  "How long a change bakes in the ring before the gate may promote it, e.g. 24h.")
          String bakeTime,
      @Option(
              names = "--min-ack-ratio",
              paramLabel = "RATIO",
              description =
                  "Share of the ring's watching instances that must confirm the release, 0 to 1.")
          Double minAckRatio,
      @Option(
              names = "--ack-deadline",
              paramLabel = "DURATION",
              description = "How long after the release they have to confirm it, e.g. 15m.")
          String ackDeadline,
      @Option(
              names = "--max-failing-ratio",
              paramLabel = "RATIO",
              description =
                  "Largest tolerated share reporting a changed namespace stale or expired, 0 to 1.")
          Double maxFailingRatio,
      @Option(
              names = "--max-error-ratio",
              paramLabel = "RATIO",
              description =
                  "Largest tolerated share whose application reports itself failing, 0 to 1.")
          Double maxErrorRatio,
      @Option(
              names = "--allow-empty",
              paramLabel = "true|false",
              arity = "1",
              description =
                  "Whether the ring may have no reporting instance: if true, a change that no"
                      + " instance here ever reports on passes once baked; if false (the default"
                      + " for every ring), it fails at the ack deadline and is backed out.")
          String allowEmpty,
      @Option(
              names = "--window",
              paramLabel = "WINDOW",
              description =
                  "When the ring's instances may receive a change: weekly ranges and a time zone,"
                      + " e.g. 'Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London'; each"
                      + " instance reads it in its own zone, if it has one.")
          String window,
      @Option(
              names = "--no-window",
              description = "Remove the ring's window: its instances take changes at any time.")
          boolean noWindow) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (bakeTime != null) {
      body.put("bakeTime", bakeTime);
    }
    WindowOptions.put(body, "changeWindow", "--window", window, "--no-window", noWindow);
    ObjectNode gate = JsonNodeFactory.instance.objectNode();
    putRatio(gate, "minAckRatio", "--min-ack-ratio", minAckRatio);
    if (ackDeadline != null) {
      gate.put("ackDeadline", ackDeadline);
    }
    putRatio(gate, "maxFailingRatio", "--max-failing-ratio", maxFailingRatio);
    putRatio(gate, "maxErrorRatio", "--max-error-ratio", maxErrorRatio);
    if (allowEmpty != null) {
      gate.put("allowEmpty", flag("--allow-empty", allowEmpty));
    }
    if (!gate.isEmpty()) {
      body.set("gate", gate);
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to change: give --bake-time, --min-ack-ratio, --ack-deadline, "
              + "--max-failing-ratio, --max-error-ratio, --allow-empty, --window or --no-window");
    }
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().patch("/v1/admin/rings/" + AdminClient.encode(name), body));
    return 0;
  }

  /**
   * Exactly {@code true} or {@code false}: picocli's own conversion would take an empty value as
   * false, and an accidental {@code --allow-empty ""} must not quietly change a gate.
   */
  private static boolean flag(String option, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              option + " must be true or false, was '" + value + "'");
    };
  }

  private static void putRatio(ObjectNode gate, String member, String option, Double value) {
    if (value == null) {
      return;
    }
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(option + " must be a ratio from 0 to 1, was " + value);
    }
    gate.put(member, value);
  }
}
