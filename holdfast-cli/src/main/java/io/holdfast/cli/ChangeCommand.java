package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast change …}: change requests, which reach the fleet ring by ring. An editor writes
 * one, someone else approves it, the rollout engine starts it in the first ring and promotes it as
 * each ring's health gate passes; publishers steer it (promote, pause, resume, back out, freeze),
 * an admin may hot-fix it. Prints text for people, or the API's JSON with {@code --json}.
 */
@Command(
    name = "change",
    mixinStandardHelpOptions = true,
    description =
        "Staged rollouts: write, approve, steer and inspect change requests; freeze rollouts.")
final class ChangeCommand {

  private static final String BASE = "/v1/admin/changes";

  @Spec CommandSpec spec;

  @Command(
      name = "create",
      description =
          "Write a change request from layer edits; with --dry-run, only show what it would do.")
  int create(
      @Mixin AdminOptions admin,
      @Option(
              names = "--description",
              required = true,
              paramLabel = "TEXT",
              description = "What the change does and why.")
          String description,
      @ArgGroup(exclusive = true, multiplicity = "1..*")
          List<ChangeEditArguments.EditOption> options,
      @Option(
              names = "--dry-run",
              description =
                  "Print the diff per ring and instance and any schema violations; "
                      + "create nothing.")
          boolean dryRun,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("description", description);
    body.set("edits", ChangeEditArguments.edits(options, admin));
    JsonNode answer = admin.client().post(BASE + (dryRun ? "?dryRun=true" : ""), body);
    if (json) {
      AdminOptions.print(out(), answer);
    } else if (dryRun) {
      out().println("dry run: nothing was created");
      ChangeText.dryRun(out(), answer);
    } else {
      out().println("created change " + answer.path("id").asLong());
      ChangeText.change(out(), answer);
    }
    return 0;
  }

  @Command(name = "list", description = "Change requests, newest first.")
  int list(
      @Mixin AdminOptions admin,
      @Option(
              names = "--state",
              split = ",",
              paramLabel = "STATE",
              description =
                  "Only these states, comma-separated: draft, approved, rolling_out, completed, backed_out, "
                      + "cancelled.")
          List<String> states,
      @Option(names = "--limit", description = "At most this many (1-500, default 50).")
          Integer limit,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    String query =
        new QueryString()
            .add("state", states == null ? null : String.join(",", states))
            .add("limit", limit)
            .toString();
    JsonNode list = admin.client().get(BASE + query);
    if (json) {
      AdminOptions.print(out(), list);
    } else {
      ChangeText.changes(out(), list);
    }
    return 0;
  }

  @Command(
      name = "status",
      description =
          "One change: state, current ring, approvals, releases, the gate's verdict "
              + "and the outcome.")
  int status(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(admin.client().get(path(id)), json);
    return 0;
  }

  @Command(
      name = "diff",
      description = "What the change does now, per ring and instance: its dry run.")
  int diff(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    JsonNode report = admin.client().get(path(id) + "/dry-run");
    if (json) {
      AdminOptions.print(out(), report);
    } else {
      ChangeText.dryRun(out(), report);
    }
    return 0;
  }

  @Command(name = "approve", description = "Approve a change (publisher; not its author).")
  int approve(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(names = "--comment", paramLabel = "TEXT", description = "Recorded with the approval.")
          String comment,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    ObjectNode body =
        comment == null ? null : JsonNodeFactory.instance.objectNode().put("comment", comment);
    show(admin.client().post(path(id) + "/approve", body), json);
    return 0;
  }

  /** Posts the action, with {@code If-Match: "change-N"} when the operator named the version. */
  private static JsonNode act(
      AdminOptions admin, long id, String action, JsonNode body, Long ifVersion) {
    return ifVersion == null
        ? admin.client().post(path(id) + "/" + action, body)
        : admin
            .client()
            .post(path(id) + "/" + action, body, "If-Match", "\"change-" + ifVersion + "\"");
  }

  @Command(
      name = "promote",
      description =
          "Release the next ring now, bake time and gate notwithstanding; "
              + "after the last ring, complete the change (publisher).")
  int promote(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Act only if the change is still at this "
                      + "version (as status shows it): refused if the engine or someone else moved it since.")
          Long ifVersion,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(act(admin, id, "promote", null, ifVersion), json);
    return 0;
  }

  @Command(
      name = "pause",
      description =
          "Hold the change in its ring: the gate no longer promotes it, "
              + "but still backs it out (publisher).")
  int pause(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Act only if the change is still at this "
                      + "version (as status shows it): refused if the engine or someone else moved it since.")
          Long ifVersion,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(act(admin, id, "pause", null, ifVersion), json);
    return 0;
  }

  @Command(name = "resume", description = "Let the gate promote a paused change again (publisher).")
  int resume(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Act only if the change is still at this "
                      + "version (as status shows it): refused if the engine or someone else moved it since.")
          Long ifVersion,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(act(admin, id, "resume", null, ifVersion), json);
    return 0;
  }

  @Command(
      name = "backout",
      description = "Take the change back from every ring it reached (publisher).")
  int backout(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--reason",
              required = true,
              paramLabel = "TEXT",
              description = "Why; recorded as the outcome.")
          String reason,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Act only if the change is still at this "
                      + "version (as status shows it): refused if the engine or someone else moved it since.")
          Long ifVersion,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(act(admin, id, "backout", reason(reason), ifVersion), json);
    return 0;
  }

  @Command(
      name = "hotfix",
      description =
          "Release every remaining ring at once and complete the change, "
              + "even while frozen (admin).")
  int hotfix(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--reason",
              required = true,
              paramLabel = "TEXT",
              description = "Why it cannot wait for the rings.")
          String reason,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Act only if the change is still at this "
                      + "version (as status shows it): refused if the engine or someone else moved it since.")
          Long ifVersion,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(act(admin, id, "hotfix", reason(reason), ifVersion), json);
    return 0;
  }

  @Command(
      name = "cancel",
      description = "Withdraw a draft or approved change before it rolls out (editor).")
  int cancel(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--reason",
              required = true,
              paramLabel = "TEXT",
              description = "Why; recorded as the outcome.")
          String reason,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    show(admin.client().post(path(id) + "/cancel", reason(reason)), json);
    return 0;
  }

  @Command(
      name = "freeze",
      description =
          "Stop every rollout where it is: nothing is started or promoted until "
              + "unfrozen; back-outs and hot-fixes still run (publisher).")
  int freeze(
      @Mixin AdminOptions admin,
      @Option(
              names = "--reason",
              required = true,
              paramLabel = "TEXT",
              description = "Why, e.g. the incident.")
          String reason,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    JsonNode freeze = admin.client().put("/v1/admin/rollouts/freeze", reason(reason));
    if (json) {
      AdminOptions.print(out(), freeze);
    } else {
      ChangeText.freeze(out(), freeze);
    }
    return 0;
  }

  @Command(name = "unfreeze", description = "Lift the rollout freeze (admin).")
  int unfreeze(@Mixin AdminOptions admin) {
    admin.client().delete("/v1/admin/rollouts/freeze");
    out().println("rollouts: not frozen");
    out().flush();
    return 0;
  }

  @Command(
      name = "rings",
      description =
          "Rings in rollout order with their bake times, health gates and change windows, "
              + "the approvals a change needs, and the freeze.")
  int rings(
      @Mixin AdminOptions admin,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    JsonNode overview = admin.client().get("/v1/admin/rollouts");
    if (json) {
      AdminOptions.print(out(), overview);
    } else {
      ChangeText.rollouts(out(), overview);
    }
    return 0;
  }

  private void show(JsonNode change, boolean json) {
    if (json) {
      AdminOptions.print(out(), change);
    } else {
      ChangeText.change(out(), change);
    }
  }

  private static ObjectNode reason(String reason) {
    if (reason.isBlank()) {
      throw new IllegalArgumentException("--reason must say why; it is blank");
    }
    return JsonNodeFactory.instance.objectNode().put("reason", reason);
  }

  private static String path(long id) {
    return BASE + "/" + id;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
