package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast application …}: the catalogue of applications instances can subscribe to. */
@Command(
    name = "application",
    mixinStandardHelpOptions = true,
    description = "List, create and rename the applications instances can subscribe to.")
final class ApplicationCommand {

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List applications.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/applications"));
    return 0;
  }

  @Command(name = "create", description = "Add an application to the catalogue.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--display-name",
              paramLabel = "TEXT",
              description = "Name shown to people (default: NAME).")
          String displayName) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    if (displayName != null) {
      body.put("displayName", displayName);
    }
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().post("/v1/admin/applications", body));
    return 0;
  }

  @Command(name = "rename", description = "Change an application's display name.")
  int rename(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--display-name", paramLabel = "TEXT", required = true) String displayName) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("displayName", displayName);
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().patch("/v1/admin/applications/" + AdminClient.encode(name), body));
    return 0;
  }
}
