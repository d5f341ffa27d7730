package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code holdfast credential …}: admin credentials. */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "List and create admin credentials.")
final class CredentialCommand {

  @Spec
  CommandSpec spec;

  @Command(name = "list", description = "List admin credentials (names and roles, never tokens).")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/credentials"));
    return 0;
  }

  @Command(name = "create", description = "Create an admin credential; prints its token, which is shown only once.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--role", required = true, description = "viewer, editor, publisher or admin.") String role) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("role", role);
    AdminOptions.print(spec.commandLine().getOut(), admin.client().post("/v1/admin/credentials", body));
    return 0;
  }
}
