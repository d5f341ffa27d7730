package io.holdfast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.MergePatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The layer edits of {@code holdfast change create} as given on the command line ({@code --set},
 * {@code --merge}, {@code --remove}), turned into the request's {@code edits}: every argument
 * parsed and every file read before any request is made.
 */
final class ChangeEditArguments {

  private ChangeEditArguments() {}

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

  /**
   * Parses every edit, then reads every file, into the request's {@code edits}, so that bad input
   * fails before any request is made.
   */
  static ArrayNode edits(List<EditOption> options, AdminOptions admin) {
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
}
