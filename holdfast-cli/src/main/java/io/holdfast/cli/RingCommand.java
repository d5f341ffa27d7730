package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code holdfast ring …}: rollout rings. */
@Command(name = "ring", mixinStandardHelpOptions = true, description = "List and create rollout rings.")
final class RingCommand {

  @Spec
  CommandSpec spec;

  @Command(name = "list", description = "List rings in rollout order.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/rings"));
    return 0;
  }

  @Command(name = "create", description = "Create a ring.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--position", required = true, description = "Place in the rollout order (0 first).") int position,
      @Option(names = "--bake", defaultValue = "0s", description = "Bake time, e.g. 24h (default ${DEFAULT-VALUE}).") String bake) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("position", position);
    body.put("bakeTime", bake);
    AdminOptions.print(spec.commandLine().getOut(), admin.client().post("/v1/admin/rings", body));
    return 0;
  }
}
