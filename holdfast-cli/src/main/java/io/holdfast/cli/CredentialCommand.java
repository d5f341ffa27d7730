package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast credential …}: admin credentials and their lifecycle. */
@Command(
    name = "credential",
    mixinStandardHelpOptions = true,
    description = "List, create, change, rotate and revoke admin credentials.")
final class CredentialCommand {

  @Spec CommandSpec spec;

  @Command(
      name = "list",
      description =
          "List admin credentials: role, state, created, expires, last used; never tokens.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/credentials"));
    return 0;
  }

  @Command(
      name = "create",
      description = "Create an admin credential; prints its token, which is shown only once.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--role",
              required = true,
              description = "viewer, editor, publisher or admin.")
          String role,
      @Option(
              names = "--expires",
              paramLabel = "TIME",
              description =
                  "RFC 3339 time at which it stops working, e.g. 2027-01-31T00:00:00Z (default never).")
          String expires) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", name);
    body.put("role", role);
    if (expires != null) {
      body.put("expiresAt", expires);
    }
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().post("/v1/admin/credentials", body));
    return 0;
  }

  @Command(
      name = "update",
      description = "Change a credential's role and/or expiry. The last admin cannot be demoted.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--role", description = "viewer, editor, publisher or admin.") String role,
      @Option(
              names = "--expires",
              paramLabel = "TIME",
              description = "RFC 3339 time at which it stops working.")
          String expires,
      @Option(names = "--no-expiry", description = "Make it work until revoked.")
          boolean noExpiry) {
    if (expires != null && noExpiry) {
      throw new IllegalArgumentException("give --expires or --no-expiry, not both");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (role != null) {
      body.put("role", role);
    }
    if (expires != null) {
      body.put("expiresAt", expires);
    } else if (noExpiry) {
      body.putNull("expiresAt");
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException("give --role, --expires or --no-expiry");
    }
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().patch("/v1/admin/credentials/" + name, body));
    return 0;
  }

  @Command(
      name = "rotate",
      description =
          "Give a credential a new token, printed once; the old token stops working at once on every replica.")
  int rotate(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME") String name) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().post("/v1/admin/credentials/" + name + "/rotate", null));
    return 0;
  }

  @Command(
      name = "revoke",
      description =
          "Revoke a credential for good: its requests, watches and console sessions end."
              + " The last admin cannot be revoked.")
  int revoke(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME") String name) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().post("/v1/admin/credentials/" + name + "/revoke", null));
    return 0;
  }
}
