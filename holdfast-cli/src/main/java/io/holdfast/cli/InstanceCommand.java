package io.holdfast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code holdfast instance …}: customer instances. */
@Command(
    name = "instance",
    mixinStandardHelpOptions = true,
    description = "List, create and change instances.")
final class InstanceCommand {

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List instances.")
  int list(@Mixin AdminOptions admin) {
    AdminOptions.print(spec.commandLine().getOut(), admin.client().get("/v1/admin/instances"));
    return 0;
  }

  @Command(name = "get", description = "Show one instance.")
  int get(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().get("/v1/admin/instances/" + AdminClient.encode(id)));
    return 0;
  }

  @Command(
      name = "create",
      description = "Create an instance; prints its credential, which is shown only once.")
  int create(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--ring", required = true, description = "Ring, e.g. test, dev, beta, live.")
          String ring,
      @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeatable.")
          Map<String, String> labels) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", id);
    body.put("ring", ring);
    if (labels != null) {
      ObjectNode node = body.putObject("labels");
      labels.forEach(node::put);
    }
    AdminOptions.print(
        spec.commandLine().getOut(), admin.client().post("/v1/admin/instances", body));
    return 0;
  }

  @Command(
      name = "update",
      description =
          "Move an instance to another ring (publisher), replace its labels, set its time zone and"
              + " change window; options not given stay as they are.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--ring", description = "New ring.") String ring,
      @Option(
              names = "--label",
              paramLabel = "KEY=VALUE",
              description = "Replaces all labels; repeatable.")
          Map<String, String> labels,
      @Option(
              names = "--zone",
              paramLabel = "ZONE",
              description =
                  "The customer's IANA time zone, e.g. Europe/London: the ring's window is read in"
                      + " it, so the customer gets its own evenings.")
          String zone,
      @Option(names = "--no-zone", description = "Remove the instance's time zone.") boolean noZone,
      @Option(
              names = "--window",
              paramLabel = "WINDOW",
              description =
                  "A window of the instance's own, replacing its ring's, e.g. 'Mon-Fri"
                      + " 19:00-07:00, Sat-Sun all day in Europe/London'.")
          String window,
      @Option(
              names = "--no-window",
              description = "Remove the instance's own window: it follows its ring's again.")
          boolean noWindow) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (ring != null) {
      body.put("ring", ring);
    }
    if (labels != null) {
      ObjectNode node = body.putObject("labels");
      labels.forEach(node::put);
    }
    WindowOptions.put(body, "zone", "--zone", zone, "--no-zone", noZone);
    WindowOptions.put(body, "changeWindow", "--window", window, "--no-window", noWindow);
    if (body.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to change: give --ring, --label, --zone, --no-zone, --window or --no-window");
    }
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin.client().patch("/v1/admin/instances/" + AdminClient.encode(id), body));
    return 0;
  }

  @Command(
      name = "rotate-credential",
      description = "Issue a new credential; the old one stops working.")
  int rotate(@Mixin AdminOptions admin, @Parameters(paramLabel = "ID") String id) {
    AdminOptions.print(
        spec.commandLine().getOut(),
        admin
            .client()
            .post(
                "/v1/admin/instances/" + AdminClient.encode(id) + "/credential",
                JsonNodeFactory.instance.objectNode()));
    return 0;
  }
}
