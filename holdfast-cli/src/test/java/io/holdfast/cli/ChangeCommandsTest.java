package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code holdfast change|ring update|ns schema} against a real replica with one required approval:
 * output, exit codes and messages. The rollout engine's timer is off; the tests drive it with
 * {@code tick()}.
 */
class ChangeCommandsTest {

  @TempDir Path dataDir;

  @TempDir Path files;

  private HoldfastServer server;
  private String publisher;

  @BeforeEach
  void start() throws IOException {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir)
                .port(0)
                .refreshInterval(Duration.ofMillis(50))
                .rolloutApprovals(1)
                .build());
    assertThat(run("ns", "create", "core").exit()).isZero();
    CliRun alice = run("credential", "create", "alice", "--role", "publisher");
    assertThat(alice.exit()).as(alice.err()).isZero();
    publisher = alice.json().path("token").asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** As the bootstrap admin, who writes the changes. */
  private CliRun run(String... args) {
    return CliRun.against(server, args);
  }

  /** As the publisher {@code alice}. */
  private CliRun runAsPublisher(String... args) {
    return runWith("http://127.0.0.1:" + server.port(), publisher, args);
  }

  private static CliRun runWith(String url, String token, String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--server";
    full[args.length + 1] = url;
    full[args.length + 2] = "--token";
    full[args.length + 3] = token;
    return CliRun.raw(full);
  }

  private String file(String name, String content) throws IOException {
    return Files.writeString(files.resolve(name), content).toString();
  }

  /** Creates a change setting core's default layer; returns its id. */
  private long createChange(String content) throws IOException {
    CliRun created =
        run(
            "change",
            "create",
            "--description",
            "core limit",
            "--set",
            "core:default=" + file("layer-" + System.nanoTime() + ".json", content),
            "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    return created.json().path("id").asLong();
  }

  /** Creates, approves (as alice) and starts a change in the first ring. */
  private String rollingChange() throws IOException {
    String id = Long.toString(createChange("{\"limit\": 9}"));
    assertThat(runAsPublisher("change", "approve", id).exit()).isZero();
    assertThat(server.rolloutEngine().tick())
        .anySatisfy(line -> assertThat(line).contains("started in ring test"));
    return id;
  }

  @Test
  void change_createApproveStartPromotePauseAndBackOut() throws Exception {
    CliRun created =
        run(
            "change",
            "create",
            "--description",
            "raise the limit",
            "--set",
            "core:default=" + file("limit.json", "{\"limit\": 9}"));
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out())
        .contains("created change 1")
        .contains("change 1: draft")
        .contains("core default: set {\"limit\":9}")
        .contains("0 of 1 required");
    String id = "1";

    CliRun byAuthor = run("change", "approve", id);
    assertThat(byAuthor.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(byAuthor.err()).contains("cannot approve it").contains("(403)");
    assertThat(byAuthor.out()).isEmpty();

    CliRun approved = runAsPublisher("change", "approve", id, "--comment", "ship it");
    assertThat(approved.exit()).as(approved.err()).isZero();
    assertThat(approved.out())
        .contains("change 1: approved")
        .contains("admin:alice at")
        .contains(": ship it");

    assertThat(server.rolloutEngine().tick()).containsExactly("change 1 started in ring test");
    CliRun inTest = run("change", "status", id);
    assertThat(inTest.exit()).isZero();
    assertThat(inTest.out()).contains("change 1: rolling_out in ring test").contains("gate:");

    CliRun promoted = runAsPublisher("change", "promote", id);
    assertThat(promoted.exit()).as(promoted.err()).isZero();
    assertThat(promoted.out())
        .contains("rolling_out in ring dev")
        .contains("manual, by admin:alice");
    assertThat(run("change", "status", id).out()).contains("rolling_out in ring dev");

    assertThat(runAsPublisher("change", "pause", id).out())
        .contains("in ring dev")
        .contains(", paused");
    assertThat(runAsPublisher("change", "resume", id).out()).doesNotContain("paused");

    JsonNode history = run("ns", "history", "core").json().path("history");
    assertThat(history.get(0).path("kind").asText()).isEqualTo("release");
    assertThat(history.get(0).path("rings").toString()).isEqualTo("[\"dev\"]");
    assertThat(history.get(0).path("actor").asText()).isEqualTo("admin:alice");
    assertThat(history.get(1).path("rings").toString()).isEqualTo("[\"test\"]");

    CliRun backedOut =
        runAsPublisher("change", "backout", id, "--reason", "latency doubled in dev");
    assertThat(backedOut.exit()).as(backedOut.err()).isZero();
    assertThat(backedOut.out()).contains("change 1: backed_out (last released to ring dev)");
    JsonNode status = run("change", "status", id, "--json").json();
    assertThat(status.path("state").asText()).isEqualTo("backed_out");

    assertThat(run("change", "list", "--state", "backed_out,completed").out())
        .containsPattern("(?m)^1 +backed_out ");
    assertThat(run("change", "list", "--state", "draft", "--json").json().path("changes"))
        .isEmpty();
  }

  @Test
  void backout_withoutAReason_isAUsageError() throws Exception {
    String id = rollingChange();

    CliRun noReason = runAsPublisher("change", "backout", id);

    assertThat(noReason.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(noReason.err()).contains("--reason");
    assertThat(run("change", "status", id, "--json").json().path("state").asText())
        .isEqualTo("rolling_out");
  }

  @Test
  void hotfix_needsAnAdmin_andCompletesTheChange() throws Exception {
    String id = rollingChange();

    CliRun byPublisher = runAsPublisher("change", "hotfix", id, "--reason", "outage");
    assertThat(byPublisher.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(byPublisher.err()).contains("Not permitted for this role").contains("(403)");

    CliRun byAdmin = run("change", "hotfix", id, "--reason", "outage: every ring now");
    assertThat(byAdmin.exit()).as(byAdmin.err()).isZero();
    assertThat(byAdmin.out())
        .contains("change " + id + ": completed")
        .contains("live at")
        .contains("hotfix");
  }

  @Test
  void freeze_refusesPromotionWithItsReason_untilAnAdminLiftsIt() throws Exception {
    String id = rollingChange();

    CliRun frozen = runAsPublisher("change", "freeze", "--reason", "incident 42");
    assertThat(frozen.exit()).as(frozen.err()).isZero();
    assertThat(frozen.out())
        .contains("rollouts: frozen since")
        .contains("by admin:alice: incident 42");
    assertThat(run("change", "rings").out()).contains("frozen").contains("incident 42");

    CliRun refused = runAsPublisher("change", "promote", id);
    assertThat(refused.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(refused.err())
        .contains("Rollouts are frozen")
        .contains("incident 42")
        .contains("(409)");
    assertThat(refused.out()).isEmpty();

    assertThat(runAsPublisher("change", "unfreeze").err()).contains("(403)");
    CliRun lifted = run("change", "unfreeze");
    assertThat(lifted.exit()).as(lifted.err()).isZero();
    assertThat(lifted.out()).contains("rollouts: not frozen");
    assertThat(runAsPublisher("change", "promote", id).out()).contains("rolling_out in ring dev");
  }

  @Test
  void dryRun_printsTheDiffPerTarget_andCreatesNothing() throws Exception {
    assertThat(run("ns", "set-layer", "core", "default", "--json", "{\"limit\": 5}").exit())
        .isZero();
    assertThat(run("ns", "publish", "core", "-m", "limit 5").exit()).isZero();

    CliRun dryRun =
        run(
            "change",
            "create",
            "--description",
            "beta limit",
            "--dry-run",
            "--set",
            "core:ring:beta=" + file("beta.json", "{\"limit\": 9, \"beta\": true}"));

    assertThat(dryRun.exit()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("dry run: nothing was created")
        .contains("core for ring:test:\n  unchanged")
        .contains("core for ring:beta:\n")
        .contains("  ~ /limit: 5 -> 9")
        .contains("  + /beta: true");
    assertThat(run("change", "list", "--json").json().path("changes")).isEmpty();
  }

  @Test
  void diffAndCancel_showTheDryRunOfAStoredChange_thenWithdrawIt() throws Exception {
    String id = Long.toString(createChange("{\"limit\": 3}"));

    CliRun diff = run("change", "diff", id);
    assertThat(diff.exit()).as(diff.err()).isZero();
    assertThat(diff.out()).contains("core for ring:live:").contains("  + /limit: 3");

    CliRun cancelled = run("change", "cancel", id, "--reason", "wrong limit");
    assertThat(cancelled.exit()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).contains("change " + id + ": cancelled");
  }

  @Test
  void backoutHotfixAndCancel_recordTheirReasonAsTheOutcome_andTheCallerAsTheActor()
      throws Exception {
    String backedOut = rollingChange();
    JsonNode backout =
        runAsPublisher("change", "backout", backedOut, "--reason", "latency doubled", "--json")
            .json();
    assertThat(backout.path("outcome").asText()).contains("latency doubled");

    String hotfixed = rollingChange();
    JsonNode hotfix = run("change", "hotfix", hotfixed, "--reason", "outage", "--json").json();
    assertThat(hotfix.path("outcome").asText()).contains("outage");
    assertThat(hotfix.path("releases"))
        .extracting(r -> r.path("actor").asText())
        .contains("admin:bootstrap");

    String cancelled = Long.toString(createChange("{\"limit\": 3}"));
    JsonNode cancel =
        run("change", "cancel", cancelled, "--reason", "wrong limit", "--json").json();
    assertThat(cancel.path("outcome").asText()).contains("wrong limit");

    assertThat(
            run("audit", "list", "--action", "change.backout")
                .json()
                .path("entries")
                .get(0)
                .path("actor")
                .asText())
        .isEqualTo("admin:alice");
  }

  @Test
  void removeEdit_isSentAsALayerRemoval() throws Exception {
    assertThat(run("ns", "set-layer", "core", "default", "--json", "{\"limit\": 5}").exit())
        .isZero();
    assertThat(run("ns", "publish", "core", "-m", "limit 5").exit()).isZero();

    CliRun removal =
        run(
            "change",
            "create",
            "--description",
            "drop the default",
            "--remove",
            "core:default",
            "--json");

    assertThat(removal.exit()).as(removal.err()).isZero();
    JsonNode edit = removal.json().path("edits").get(0);
    assertThat(edit.path("scope").asText()).isEqualTo("default");
    assertThat(edit.path("remove").asBoolean()).isTrue();
  }

  @Test
  void setFromStandardInput_readsTheLayerFromStdin_onceOnly() throws Exception {
    InputStream original = System.in;
    try {
      System.setIn(new ByteArrayInputStream("{\"limit\": 4}".getBytes(StandardCharsets.UTF_8)));
      CliRun created =
          run(
              "change",
              "create",
              "--description",
              "from stdin",
              "--set",
              "core:ring:dev=-",
              "--json");
      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.json().path("edits").get(0).path("content").path("limit").asInt())
          .isEqualTo(4);

      CliRun twice =
          run(
              "change",
              "create",
              "--description",
              "d",
              "--set",
              "core:ring:beta=-",
              "--set",
              "core:ring:live=-");
      assertThat(twice.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(twice.err()).contains("only one --set can read standard input");
    } finally {
      System.setIn(original);
    }
  }

  @Test
  void malformedEdits_areRefusedLocally_beforeAnyRequest() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String nowhere = "http://127.0.0.1:" + closedPort;
    String good = file("good.json", "{\"limit\": 1}");
    String[][] cases = {
      {"--set", "core=" + good, "needs NS:SCOPE=FILE with a namespace before the first ':'"},
      {"--set", "core:default", "has no '=FILE'"},
      {"--set", "core:beta=" + good, "must be default, ring:<ring> or instance:<id>, was 'beta'"},
      {"--set", "core:ring:=" + good, "was 'ring:'"},
      {"--set", "core:default=", "names no file"},
      {"--set", "core:default=" + files.resolve("missing.json"), "missing.json does not exist"},
      {"--set", "core:default=" + file("bad.json", "{\"limit\": "), "bad.json is not valid JSON"},
      {"--set", "core:default=" + file("two.json", "{} {}"), "two.json is not valid JSON"},
      {
        "--set",
        "core:default=" + file("array.json", "[1]"),
        "must be a JSON object, not a JSON array"
      },
      {"--set", "core:default=" + file("empty.json", ""), "empty.json is empty"},
      {"--remove", "core:default=" + good, "--remove takes NS:SCOPE without a file"},
    };
    for (String[] c : cases) {
      CliRun refused =
          runWith(nowhere, "hfa_unused", "change", "create", "--description", "d", c[0], c[1]);
      assertThat(refused.exit())
          .as(c[1] + ": " + refused.err())
          .isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(refused.err()).as(c[1]).contains(c[2]).doesNotContain("cannot reach");
    }

    CliRun twice =
        runWith(
            nowhere,
            "hfa_unused",
            "change",
            "create",
            "--description",
            "d",
            "--set",
            "core:default=" + good,
            "--remove",
            "core:default");
    assertThat(twice.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(twice.err()).contains("layer core:default is edited twice");

    CliRun none = runWith(nowhere, "hfa_unused", "change", "create", "--description", "d");
    assertThat(none.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(none.err()).contains("--set").contains("--remove");

    assertThat(run("change", "list", "--json").json().path("changes")).isEmpty();
  }

  @Test
  void schema_setShowThenABreakingChangeIsRefused_thenRemove() throws Exception {
    String schema =
        file(
            "schema.json",
            "{\"type\": \"object\", \"properties\": {\"limit\": {\"type\": \"integer\", \"maximum\": 10}}}");

    CliRun set = run("ns", "schema", "set", "core", schema);
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(
            run("ns", "schema", "show", "core")
                .json()
                .path("properties")
                .path("limit")
                .path("maximum")
                .asInt())
        .isEqualTo(10);

    CliRun breaking =
        run(
            "change",
            "create",
            "--description",
            "too high",
            "--set",
            "core:default=" + file("high.json", "{\"limit\": 50}"));
    assertThat(breaking.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(breaking.err())
        .contains("Violates the namespace's JSON Schema")
        .contains("limit")
        .contains("(422)");
    assertThat(run("change", "list", "--json").json().path("changes")).isEmpty();

    CliRun dryRun =
        run(
            "change",
            "create",
            "--description",
            "too high",
            "--dry-run",
            "--set",
            "core:default=" + files.resolve("high.json"));
    assertThat(dryRun.out()).contains("schema violations (the change would be refused):");

    CliRun removed = run("ns", "schema", "remove", "core");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("namespace core has no JSON Schema now");
    CliRun gone = run("ns", "schema", "show", "core");
    assertThat(gone.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(gone.err()).contains("(404)");
  }

  @Test
  void schemaSet_withAMissingOrNonObjectFile_isAUsageError() throws Exception {
    CliRun missing = run("ns", "schema", "set", "core", files.resolve("nope.json").toString());
    assertThat(missing.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(missing.err()).contains("JSON Schema file").contains("nope.json does not exist");

    CliRun notObject = run("ns", "schema", "set", "core", file("s.json", "\"string\""));
    assertThat(notObject.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(notObject.err()).contains("must be a JSON object, not a JSON string");
  }

  @Test
  void ringUpdate_changesBakeAndGate_andRingsShowsThem() throws Exception {
    CliRun updated =
        run(
            "ring",
            "update",
            "dev",
            "--bake-time",
            "2h",
            "--min-ack-ratio",
            "0.8",
            "--ack-deadline",
            "30m",
            "--allow-empty",
            "true");
    assertThat(updated.exit()).as(updated.err()).isZero();
    JsonNode ring = updated.json();
    assertThat(ring.path("gate").path("allowEmpty").asBoolean()).isTrue();
    assertThat(ring.path("bakeTime").asText()).isEqualTo("PT2H");
    assertThat(ring.path("gate").path("minAckRatio").asDouble()).isEqualTo(0.8);
    assertThat(ring.path("gate").path("ackDeadline").asText()).isEqualTo("PT30M");
    assertThat(ring.path("gate").path("maxFailingRatio").asDouble()).isEqualTo(0.05);

    CliRun rings = run("change", "rings");
    assertThat(rings.exit()).isZero();
    assertThat(rings.out())
        .contains("rollouts: not frozen")
        .contains("approvals required: 1")
        .containsPattern("(?m)^RING .* ALLOW EMPTY$")
        .containsPattern("(?m)^dev +1 +2h +0\\.8 +30m +0\\.05 +0\\.05 +yes$")
        .containsPattern("(?m)^beta +2 +2d .* no$");

    CliRun back = run("ring", "update", "dev", "--allow-empty=false");
    assertThat(back.exit()).as(back.err()).isZero();
    assertThat(back.json().path("gate").path("allowEmpty").asBoolean()).isFalse();
    assertThat(back.json().path("gate").path("minAckRatio").asDouble()).isEqualTo(0.8);
  }

  @Test
  void ringUpdate_withNothingOrABadRatio_isAUsageError_andAnUnknownRingIsRefused()
      throws Exception {
    CliRun nothing = run("ring", "update", "dev");
    assertThat(nothing.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(nothing.err()).contains("nothing to change");

    CliRun ratio = run("ring", "update", "dev", "--max-error-ratio", "1.5");
    assertThat(ratio.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(ratio.err()).contains("--max-error-ratio must be a ratio from 0 to 1, was 1.5");

    for (String bad : List.of("yes", "1", "", "TRUE")) {
      CliRun notBoolean = run("ring", "update", "dev", "--bake-time", "1h", "--allow-empty", bad);
      assertThat(notBoolean.exit()).as("'%s'", bad).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(notBoolean.err())
          .as("'%s'", bad)
          .contains("--allow-empty must be true or false, was '" + bad + "'");
    }
    JsonNode dev = run("ring", "list").json().path("rings").get(1);
    assertThat(dev.path("bakeTime").asText()).as("nothing sent").isEqualTo("PT24H");
    assertThat(dev.path("gate").path("allowEmpty").asBoolean()).isFalse();

    CliRun unknown = run("ring", "update", "canary", "--bake-time", "1h");
    assertThat(unknown.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(unknown.err()).contains("canary");
  }

  @Test
  void merge_patchesThePublishedLayer_andPinsTheChangeToItsVersion() throws Exception {
    assertThat(
            run(
                    "ns",
                    "set-layer",
                    "core",
                    "default",
                    "--json",
                    "{\"limit\": 5, \"region\": \"eu\"}")
                .exit())
        .isZero();
    assertThat(run("ns", "publish", "core", "-m", "first").exit()).isZero();
    long published = server.snapshots().current().revision();

    CliRun created =
        run(
            "change",
            "create",
            "--description",
            "only the limit",
            "--merge",
            "core:default=" + file("patch.json", "{\"limit\": 9}"),
            "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    JsonNode edit = created.json().path("edits").get(0);
    assertThat(edit.path("content").toString()).isEqualTo("{\"limit\":9,\"region\":\"eu\"}");
    assertThat(edit.path("baseRevision").asLong()).isLessThanOrEqualTo(published).isPositive();
  }

  @Test
  void ifVersion_refusesAnActionOnAChangeThatMovedSinceItWasRead() throws Exception {
    String id = rollingChange();
    long seen = run("change", "status", id, "--json").json().path("version").asLong();
    assertThat(runAsPublisher("change", "promote", id, "--if-version", Long.toString(seen)).exit())
        .isZero();

    CliRun stale = runAsPublisher("change", "promote", id, "--if-version", Long.toString(seen));
    assertThat(stale.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(stale.err()).contains("moved since you read it").contains("(412)");
    assertThat(run("change", "status", id).out()).contains("rolling_out in ring dev");
  }

  @Test
  void aSubscriptionEdit_rollsOutWithTheInstancesRing() throws Exception {
    assertThat(run("instance", "create", "acme-prod", "--ring", "test").exit()).isZero();
    assertThat(run("application", "create", "crm", "--display-name", "CRM").exit()).isZero();
    CliRun subscribed =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "25",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "enterprise");
    assertThat(subscribed.exit()).as(subscribed.err()).isZero();
    String id = subscribed.json().path("id").asText();

    CliRun created =
        run(
            "change",
            "create",
            "--description",
            "more seats",
            "--subscription",
            file("seats.json", "{\"id\": \"" + id + "\", \"quantity\": 40}"));
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out())
        .contains("subscription " + id + " of acme-prod: change")
        .contains("\"quantity\":40");
    CliRun diff = run("change", "diff", "1");
    assertThat(diff.out())
        .contains("subscriptions for instance:acme-prod")
        .contains("25")
        .contains("40");

    assertThat(runAsPublisher("change", "approve", "1").exit()).isZero();
    server.rolloutEngine().tick();
    assertThat(run("subscription", "show", id).json().path("quantity").asLong()).isEqualTo(25);
    CliRun direct = run("subscription", "change", id, "--quantity", "99");
    assertThat(direct.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(direct.err()).contains("held by change 1");
    CliRun fixed = run("change", "hotfix", "1", "--reason", "customer waiting");
    assertThat(fixed.exit()).as(fixed.err()).isZero();
    assertThat(run("subscription", "show", id).json().path("quantity").asLong()).isEqualTo(40);
  }
}
