package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast subscription …}: instances' subscriptions to applications, and how they are used.
 * Every change reaches the instance as a new revision of its {@code subscriptions} document; ending
 * cancels (nothing is deleted).
 */
@Command(
    name = "subscription",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, change and end subscriptions; show seat utilisation.")
final class SubscriptionCommand {

  private static final String BASE = "/v1/admin/subscriptions";

  @Spec CommandSpec spec;

  @Command(name = "create", description = "Subscribe an instance to an application for a period.")
  int create(
      @Mixin AdminOptions admin,
      @Option(names = "--instance", required = true) String instance,
      @Option(names = "--application", required = true) String application,
      @Option(names = "--quantity", required = true, description = "Seats granted (0 or more).")
          long quantity,
      @Option(names = "--overage", description = "Seats allowed beyond the quantity (default 0).")
          Long overage,
      @Option(
              names = "--valid-from",
              required = true,
              paramLabel = "TIME",
              description = "Start, RFC 3339 in whole seconds, e.g. 2026-01-01T00:00:00Z.")
          String validFrom,
      @Option(
              names = "--valid-until",
              paramLabel = "TIME",
              description = "End, exclusive (default: open-ended).")
          String validUntil,
      @Option(names = "--plan", required = true) String plan,
      @Option(names = "--notes", description = "For operators only; never sent to the instance.")
          String notes) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("instance", instance);
    body.put("application", application);
    body.put("quantity", quantity);
    if (overage != null) {
      body.put("overage", overage);
    }
    body.put("validFrom", validFrom);
    if (validUntil != null) {
      body.put("validUntil", validUntil);
    }
    body.put("plan", plan);
    if (notes != null) {
      body.put("notes", notes);
    }
    AdminOptions.print(spec.commandLine().getOut(), admin.client().post(BASE, body));
    return 0;
  }

  @Command(name = "list", description = "List subscriptions, optionally filtered.")
  int list(
      @Mixin AdminOptions admin,
      @Option(names = "--instance") String instance,
      @Option(names = "--application") String application,
      @Option(names = "--status", description = "active, suspended or cancelled.") String status) {
    String query =
        new QueryString()
            .add("instance", instance)
            .add("application", application)
            .add("status", status)
            .toString();
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get(BASE + query));
    return 0;
  }

  @Command(name = "show", description = "Show one subscription.")
  int show(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().get(BASE + "/" + AdminClient.encode(id)));
    return 0;
  }

  /** The end of the period: a new one, or none at all. */
  static final class End {
    @Option(names = "--valid-until", paramLabel = "TIME", description = "New end, exclusive.")
    String validUntil;

    @Option(names = "--open-ended", description = "Remove the end of the period.")
    boolean openEnded;
  }

  @Command(
      name = "change",
      description = "Change a subscription; options not given stay as they are.")
  int change(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--quantity") Long quantity,
      @Option(names = "--overage") Long overage,
      @ArgGroup(exclusive = true) End end,
      @Option(names = "--plan") String plan,
      @Option(names = "--notes") String notes,
      @Option(names = "--status", description = "active, suspended or cancelled.") String status,
      @Option(
              names = "--force",
              paramLabel = "REASON",
              description =
                  "Why a cut of the seats (quantity + overage)"
                      + " to 0 or by more than half is meant; without it such a cut is refused. Kept in the audit log.")
          String force) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (quantity != null) {
      body.put("quantity", quantity);
    }
    if (overage != null) {
      body.put("overage", overage);
    }
    if (end != null && end.openEnded) {
      body.putNull("validUntil");
    } else if (end != null) {
      body.put("validUntil", end.validUntil);
    }
    if (plan != null) {
      body.put("plan", plan);
    }
    if (notes != null) {
      body.put("notes", notes);
    }
    if (status != null) {
      body.put("status", status);
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to change: give --quantity, --overage, --valid-until, --open-ended, --plan, --notes or --status");
    }
    if (force != null) {
      body.put("force", force);
    }
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().patch(BASE + "/" + AdminClient.encode(id), body));
    return 0;
  }

  @Command(
      name = "end",
      description = "End a subscription now by cancelling it; the instance sees the cancellation.")
  int end(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin
            .client()
            .post(
                BASE + "/" + AdminClient.encode(id) + "/end",
                JsonNodeFactory.instance.objectNode()));
    return 0;
  }

  @Command(
      name = "usage",
      description = "Seats granted now against seats in use, per instance and application.")
  int usage(
      @Mixin AdminOptions admin,
      @Option(names = "--instance", description = "One instance only (default: the whole fleet).")
          String instance,
      @Option(
              names = "--over-allocated",
              description = "Only rows using more than quantity + overage.")
          boolean overAllocated) {
    if (instance != null && overAllocated) {
      throw new IllegalArgumentException(
          "--over-allocated filters the fleet-wide view; leave out --instance");
    }
    String path =
        instance == null
            ? BASE
                + "/usage"
                + new QueryString().add("overAllocated", overAllocated ? "true" : null)
            : "/v1/admin/instances/" + AdminClient.encode(instance) + "/subscriptions/usage";
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get(path));
    return 0;
  }
}
