package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast ns …}: namespaces, layers, publishing, history and diff. */
@Command(
    name = "ns",
    mixinStandardHelpOptions = true,
    description =
        "Namespaces: edit layers, publish, read history and diffs, and set a JSON Schema.",
    subcommands = NamespaceCommand.SchemaCommand.class)
final class NamespaceCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List namespaces.")
  int list(@Mixin AdminOptions admin) {
    print(admin.client().get("/v1/admin/namespaces"));
    return 0;
  }

  @Command(name = "create", description = "Create a namespace.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--description", defaultValue = "") String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("description", description);
    print(admin.client().post("/v1/admin/namespaces", body));
    return 0;
  }

  @Command(name = "layers", description = "Show a namespace's published layers and drafts.")
  int layers(@Mixin AdminOptions admin, @Parameters(paramLabel = "NS") String ns) {
    print(admin.client().get(base(ns) + "/layers"));
    return 0;
  }

  /** Where a layer's new content comes from. */
  static final class Content {
    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "JSON file with the layer's content.")
    Path file;

    @Option(names = "--json", paramLabel = "JSON", description = "The layer's content inline.")
    String json;
  }

  @Command(
      name = "set-layer",
      description = "Stage new content for a layer (default, ring:NAME or instance:ID).")
  int setLayer(
      @Mixin AdminOptions admin,
      @Parameters(index = "0", paramLabel = "NS") String ns,
      @Parameters(index = "1", paramLabel = "SCOPE") String scope,
      @ArgGroup(exclusive = true, multiplicity = "1") Content content,
      @Option(
              names = "--if-version",
              paramLabel = "N",
              description =
                  "Stage only if the draft is still at version N (0: no draft yet), as ns layers shows it; "
                      + "refused if someone else staged since.")
          Long ifVersion) {
    JsonNode body;
    try {
      body =
          content.file != null
              ? JSON.readTree(Files.readAllBytes(content.file))
              : JSON.readTree(content.json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "layer content is not readable JSON: " + e.getMessage(), e);
    }
    String path = base(ns) + "/layers/" + AdminClient.encode(scope);
    print(
        ifVersion == null
            ? admin.client().put(path, body)
            : admin.client().put(path, body, "If-Match", "\"draft-" + ifVersion + "\""));
    return 0;
  }

  @Command(name = "remove-layer", description = "Stage the removal of a layer.")
  int removeLayer(
      @Mixin AdminOptions admin,
      @Parameters(index = "0", paramLabel = "NS") String ns,
      @Parameters(index = "1", paramLabel = "SCOPE") String scope) {
    print(admin.client().delete(base(ns) + "/layers/" + AdminClient.encode(scope)));
    return 0;
  }

  @Command(name = "publish", description = "Publish staged drafts as one new revision.")
  int publish(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NS") String ns,
      @Option(
              names = {"-m", "--message"},
              required = true,
              description = "Why.")
          String message,
      @Option(names = "--scope", description = "Publish only this layer's draft; repeatable.")
          List<String> scopes) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", message);
    if (scopes != null) {
      ArrayNode array = body.putArray("scopes");
      scopes.forEach(array::add);
    }
    print(admin.client().post(base(ns) + "/publish", body));
    return 0;
  }

  @Command(name = "history", description = "Revisions of a namespace, newest first.")
  int history(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NS") String ns,
      @Option(names = "--limit", defaultValue = "50") int limit) {
    print(admin.client().get(base(ns) + "/history?limit=" + limit));
    return 0;
  }

  @Command(
      name = "diff",
      description =
          "What changed between two revisions, in a layer, an instance's document, or everywhere.")
  int diff(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NS") String ns,
      @Option(names = "--from", required = true, description = "Older revision.") long from,
      @Option(names = "--to", description = "Newer revision, or 'draft' (default: newest).")
          String to,
      @Option(names = "--scope", description = "One layer.") String scope,
      @Option(names = "--instance", description = "One instance's effective document.")
          String instance) {
    StringBuilder query = new StringBuilder("?from=").append(from);
    if (to != null) {
      query.append("&to=").append(AdminClient.encode(to));
    }
    if (scope != null) {
      query.append("&scope=").append(AdminClient.encode(scope));
    }
    if (instance != null) {
      query.append("&instance=").append(AdminClient.encode(instance));
    }
    print(admin.client().get(base(ns) + "/diff" + query));
    return 0;
  }

  @Command(name = "effective", description = "The merged document an instance receives.")
  int effective(
      @Mixin AdminOptions admin,
      @Parameters(index = "0", paramLabel = "NS") String ns,
      @Parameters(index = "1", paramLabel = "INSTANCE") String instance,
      @Option(names = "--revision", description = "As of this revision (default: now).")
          Long revision) {
    print(
        admin
            .client()
            .get(
                base(ns)
                    + "/effective/"
                    + AdminClient.encode(instance)
                    + (revision == null ? "" : "?revision=" + revision)));
    return 0;
  }

  /**
   * {@code holdfast ns schema …}: the JSON Schema every effective document of a namespace must
   * satisfy. Setting one is refused while what the namespace serves breaks it; afterwards a change
   * or publish that would break it is refused.
   */
  @Command(
      name = "schema",
      mixinStandardHelpOptions = true,
      description =
          "Set, show or remove a namespace's JSON Schema (setting and removing need an admin).")
  static final class SchemaCommand {

    @Spec CommandSpec spec;

    @Command(
        name = "set",
        description = "Set the namespace's JSON Schema from FILE ('-' for standard input).")
    int set(
        @Mixin AdminOptions admin,
        @Parameters(index = "0", paramLabel = "NS") String ns,
        @Parameters(index = "1", paramLabel = "FILE") String file) {
      JsonNode schema = JsonFiles.readObject(file, "JSON Schema", System.in);
      AdminOptions.print(
          spec.commandLine().getOut(), admin.client().put(base(ns) + "/schema", schema));
      return 0;
    }

    @Command(name = "show", description = "Print the namespace's JSON Schema.")
    int show(@Mixin AdminOptions admin, @Parameters(paramLabel = "NS") String ns) {
      AdminOptions.print(spec.commandLine().getOut(), admin.client().get(base(ns) + "/schema"));
      return 0;
    }

    @Command(name = "remove", description = "Remove the namespace's JSON Schema.")
    int remove(@Mixin AdminOptions admin, @Parameters(paramLabel = "NS") String ns) {
      admin.client().delete(base(ns) + "/schema");
      spec.commandLine().getOut().println("namespace " + ns + " has no JSON Schema now");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static String base(String ns) {
    return "/v1/admin/namespaces/" + AdminClient.encode(ns);
  }

  private void print(JsonNode node) {
    AdminOptions.print(spec.commandLine().getOut(), node);
  }
}
