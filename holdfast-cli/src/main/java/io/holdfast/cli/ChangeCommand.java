package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.MergePatch;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** One layer edit as given on the command line. */
  static final class EditOption {
    @Option(
        names = "--set",
        paramLabel = "NS:SCOPE=FILE",
        description =
            "Set a layer to the JSON object in FILE ('-' for standard input). SCOPE is default, "
                + "ring:<ring> or instance:<id>, e.g. core:ring:beta=beta.json.")
    String set;

    @Option(
        names = "--merge",
        paramLabel = "NS:SCOPE=FILE",
        description =
            "Merge-patch (RFC 7396) the layer's published content with the JSON object in FILE, e.g. "
                + "core:default=patch.json sets only the members it names; the change is pinned to that published "
                + "version.")
    String merge;

    @Option(
        names = "--remove",
        paramLabel = "NS:SCOPE",
        description = "Remove a layer, e.g. core:instance:acme-prod.")
    String remove;

    @Option(
        names = "--subscription",
        paramLabel = "FILE",
        description =
            "A subscription edit from the JSON object in FILE: {\"id\": ..., \"quantity\": 150} changes "
                + "that subscription (the fields 'subscription change' takes); {\"instance\": ..., \"application\": ..., ...} "
                + "creates one (the fields 'subscription create' takes). It reaches the instance with its ring.")
    String subscription;
  }

  /**
   * A layer named on the command line: {@code file} is the content's file, or null for a removal.
   */
  record LayerArgument(String namespace, String scope, String file) {

    String layer() {
      return namespace + ":" + scope;
    }

    /**
     * Parses {@code NS:SCOPE=FILE} ({@code --set}) or {@code NS:SCOPE} ({@code --remove}) without
     * reading the file. Names never hold ':' or '=', so NS ends at the first ':' and SCOPE at the
     * first '='; the file name may hold either.
     */
    static LayerArgument parse(String text, boolean set) {
      String option = set ? "--set" : "--remove";
      String layer = text;
      String file = null;
      int equals = text.indexOf('=');
      if (set) {
        if (equals < 0) {
          throw new IllegalArgumentException(
              "--set needs NS:SCOPE=FILE, e.g. core:ring:beta=beta.json; '"
                  + text
                  + "' has no '=FILE'");
        }
        layer = text.substring(0, equals);
        file = text.substring(equals + 1);
        if (file.isEmpty()) {
          throw new IllegalArgumentException("--set '" + text + "' names no file after '='");
        }
      } else if (equals >= 0) {
        throw new IllegalArgumentException(
            "--remove takes NS:SCOPE without a file, e.g. core:ring:beta; was '" + text + "'");
      }
      int colon = layer.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            option
                + " needs NS:SCOPE"
                + (set ? "=FILE" : "")
                + " with a namespace before the first ':', e.g. core:default; was '"
                + text
                + "'");
      }
      String namespace = layer.substring(0, colon);
      String scope = layer.substring(colon + 1);
      boolean valid =
          scope.equals("default")
              || (scope.startsWith("ring:") && scope.length() > "ring:".length())
              || (scope.startsWith("instance:") && scope.length() > "instance:".length());
      if (!valid) {
        throw new IllegalArgumentException(
            option
                + " '"
                + text
                + "': the scope after '"
                + namespace
                + ":' must be default, ring:<ring> or instance:<id>, was '"
                + scope
                + "'");
      }
      return new LayerArgument(namespace, scope, file);
    }
  }

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
      @ArgGroup(exclusive = true, multiplicity = "1..*") List<EditOption> options,
      @Option(
              names = "--dry-run",
              description =
                  "Print the diff per ring and instance and any schema violations; "
                      + "create nothing.")
          boolean dryRun,
      @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("description", description);
    body.set("edits", edits(options, admin));
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

  /**
   * Parses every edit, then reads every file, into the request's {@code edits}, so that bad input
   * fails before any request is made.
   */
  private static ArrayNode edits(List<EditOption> options, AdminOptions admin) {
    List<LayerArgument> layers = new ArrayList<>();
    Set<String> merges = new HashSet<>();
    Set<String> seen = new HashSet<>();
    int fromStdin = 0;
    List<String> subscriptionFiles = new ArrayList<>();
    for (EditOption option : options) {
      if (option.subscription != null) {
        if (JsonFiles.STDIN.equals(option.subscription) && ++fromStdin > 1) {
          throw new IllegalArgumentException("only one edit can read standard input ('-')");
        }
        subscriptionFiles.add(option.subscription);
        continue;
      }
      boolean set = option.set != null || option.merge != null;
      LayerArgument layer =
          LayerArgument.parse(
              option.set != null ? option.set : option.merge != null ? option.merge : option.remove,
              set);
      if (option.merge != null) {
        merges.add(layer.layer());
      }
      if (!seen.add(layer.layer())) {
        throw new IllegalArgumentException(
            "layer " + layer.layer() + " is edited twice; one --set or --remove per layer");
      }
      if (JsonFiles.STDIN.equals(layer.file()) && ++fromStdin > 1) {
        throw new IllegalArgumentException("only one --set can read standard input ('-')");
      }
      layers.add(layer);
    }
    ArrayNode edits = JsonNodeFactory.instance.arrayNode();
    for (LayerArgument layer : layers) {
      ObjectNode edit =
          edits.addObject().put("namespace", layer.namespace()).put("scope", layer.scope());
      if (layer.file() == null) {
        edit.put("remove", true);
      } else {
        edit.set(
            "content",
            JsonFiles.readObject(layer.file(), "layer content for " + layer.layer(), System.in));
      }
    }
    for (String file : subscriptionFiles) {
      edits
          .addObject()
          .set("subscription", JsonFiles.readObject(file, "subscription edit", System.in));
    }
    for (JsonNode edit : edits) {
      if (edit.has("subscription")) {
        continue;
      }
      String layer = edit.path("namespace").asText() + ":" + edit.path("scope").asText();
      if (merges.contains(layer)) {
        // Only now, with every local input checked, ask the server for what is published.
        JsonNode published =
            admin
                .client()
                .get(
                    "/v1/admin/namespaces/"
                        + edit.path("namespace").asText()
                        + "/layers/"
                        + edit.path("scope").asText())
                .path("published");
        boolean exists = published.isObject() && !published.path("removed").asBoolean();
        JsonNode base = exists ? published.path("content") : JsonNodeFactory.instance.objectNode();
        ((ObjectNode) edit).set("content", MergePatch.apply(base, edit.path("content")));
        ((ObjectNode) edit)
            .put("baseRevision", published.isObject() ? published.path("revision").asLong() : 0);
      }
    }
    return edits;
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
