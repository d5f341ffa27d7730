package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.HoldfastServer;
import io.holdfast.server.config.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code holdfast application|subscription|audit} against a real replica: output, exit codes,
 * messages.
 */
class SubscriptionCommandsTest {

  @TempDir Path dataDir;

  private HoldfastServer server;

  @BeforeEach
  void start() {
    server =
        HoldfastServer.start(
            ServerConfig.builder(dataDir).port(0).refreshInterval(Duration.ofMillis(50)).build());
    assertThat(run("instance", "create", "acme-prod", "--ring", "live").exit()).isZero();
    assertThat(run("application", "create", "crm", "--display-name", "Customer relations").exit())
        .isZero();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun run(String... args) {
    return CliRun.against(server, args);
  }

  private CliRun subscribe(String from, String until) {
    return until == null
        ? run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "25",
            "--valid-from",
            from,
            "--plan",
            "enterprise",
            "--notes",
            "deal 42")
        : run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "25",
            "--valid-from",
            from,
            "--valid-until",
            until,
            "--plan",
            "enterprise",
            "--notes",
            "deal 42");
  }

  @Test
  void applicationCreateAndList_showTheCatalogue() throws Exception {
    CliRun listed = run("application", "list");

    assertThat(listed.exit()).isZero();
    assertThat(listed.json().path("applications").get(0).path("displayName").asText())
        .isEqualTo("Customer relations");
  }

  @Test
  void subscriptionLifecycle_createListShowChangeEndAndUsage() throws Exception {
    CliRun created = subscribe("2000-01-01T00:00:00Z", null);
    assertThat(created.exit()).as(created.err()).isZero();
    String id = created.json().path("id").asText();

    assertThat(
            run("subscription", "list", "--instance", "acme-prod")
                .json()
                .path("subscriptions")
                .get(0)
                .path("id")
                .asText())
        .isEqualTo(id);
    assertThat(run("subscription", "show", id).json().path("notes").asText()).isEqualTo("deal 42");

    CliRun changed =
        run(
            "subscription",
            "change",
            id,
            "--quantity",
            "30",
            "--overage",
            "2",
            "--valid-until",
            "2999-01-01T00:00:00Z",
            "--plan",
            "premium");
    assertThat(changed.exit()).as(changed.err()).isZero();
    JsonNode after = changed.json();
    assertThat(after.path("quantity").asLong()).isEqualTo(30);
    assertThat(after.path("overage").asLong()).isEqualTo(2);
    assertThat(after.path("validUntil").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(run("subscription", "change", id, "--open-ended").json().path("validUntil").isNull())
        .isTrue();

    JsonNode usage =
        run("subscription", "usage", "--instance", "acme-prod").json().path("usage").get(0);
    assertThat(usage.path("quantity").asLong()).isEqualTo(30);
    assertThat(run("subscription", "usage", "--over-allocated").json().path("usage")).isEmpty();

    CliRun ended = run("subscription", "end", id);
    assertThat(ended.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(run("subscription", "list", "--status", "active").json().path("subscriptions"))
        .isEmpty();
  }

  @Test
  void refusedSubscriptions_exitOneWithTheProblemOnStderr() {
    CliRun negative =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "-5",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "p");
    assertThat(negative.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(negative.err()).contains("Invalid request").contains("quantity").contains("400");

    CliRun unknownApplication =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "payroll",
            "--quantity",
            "5",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "p");
    assertThat(unknownApplication.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(unknownApplication.err())
        .contains("Unknown application")
        .contains("payroll")
        .contains("404");

    assertThat(subscribe("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z").exit()).isZero();
    CliRun overlap = subscribe("2026-06-01T00:00:00Z", null);
    assertThat(overlap.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(overlap.err()).contains("Overlapping subscription periods").contains("409");
    assertThat(overlap.out()).isEmpty();
  }

  /**
   * The CLI checks no bounds of its own: the server's maximum holds on this path too, on both
   * sides.
   */
  @Test
  void quantityAndOverage_atTheMaximumAreAccepted_andOneMoreIsRefused() throws Exception {
    CliRun tooMany =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "1000000001",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "p");
    assertThat(tooMany.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(tooMany.err())
        .contains("Invalid request")
        .contains("quantity")
        .contains("1000000000")
        .contains("400");
    CliRun longMax =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "9223372036854775807",
            "--overage",
            "9223372036854775807",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "p");
    assertThat(longMax.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(run("subscription", "list").json().path("subscriptions")).isEmpty();

    CliRun max =
        run(
            "subscription",
            "create",
            "--instance",
            "acme-prod",
            "--application",
            "crm",
            "--quantity",
            "1000000000",
            "--overage",
            "1000000000",
            "--valid-from",
            "2026-01-01T00:00:00Z",
            "--plan",
            "p");
    assertThat(max.exit()).as(max.err()).isZero();
    assertThat(max.json().path("quantity").asLong()).isEqualTo(1_000_000_000L);
    CliRun overageTooMany =
        run("subscription", "change", max.json().path("id").asText(), "--overage", "1000000001");
    assertThat(overageTooMany.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(overageTooMany.err()).contains("overage");
  }

  /** FAULTS C3 through the CLI: a cut to 0 is refused until {@code --force} says why. */
  @Test
  void C3_cuttingSeatsTo0_isRefusedWithoutForce_andAppliedWithAReason() throws Exception {
    String id = subscribe("2026-01-01T00:00:00Z", null).json().path("id").asText();

    CliRun refused = run("subscription", "change", id, "--quantity", "0");
    assertThat(refused.exit()).isEqualTo(HoldfastCommand.EXIT_REFUSED);
    assertThat(refused.err()).contains("force").contains("409");
    assertThat(run("subscription", "show", id).json().path("quantity").asLong()).isEqualTo(25);

    CliRun forced =
        run(
            "subscription",
            "change",
            id,
            "--quantity",
            "0",
            "--force",
            "contract ended, ticket 42");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(forced.json().path("quantity").asLong()).isZero();
    assertThat(
            run("audit", "list", "--target", "subscription:" + id)
                .json()
                .path("entries")
                .get(0)
                .path("after")
                .path("forceReason")
                .asText())
        .isEqualTo("contract ended, ticket 42");
  }

  @Test
  void changeWithoutAnyOption_orConflictingEnds_isAUsageError() throws Exception {
    String id = subscribe("2026-01-01T00:00:00Z", null).json().path("id").asText();

    CliRun nothing = run("subscription", "change", id);
    assertThat(nothing.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(nothing.err()).contains("nothing to change");

    CliRun both =
        run("subscription", "change", id, "--open-ended", "--valid-until", "2027-01-01T00:00:00Z");
    assertThat(both.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void auditListAndVerify_showChangesAndExitFourOnATamperedRow() throws Exception {
    String id = subscribe("2026-01-01T00:00:00Z", null).json().path("id").asText();
    run("subscription", "change", id, "--quantity", "40");

    CliRun listed = run("audit", "list", "--target", "subscription:" + id);
    assertThat(listed.json().path("entries"))
        .extracting(e -> e.path("action").asText())
        .containsExactly("subscription.change", "subscription.create");
    CliRun intact = run("audit", "verify");
    assertThat(intact.exit()).isZero();
    assertThat(intact.json().path("intact").asBoolean()).isTrue();

    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("holdfast.db"));
        Statement statement = c.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.executeUpdate(
          "UPDATE audit_log SET actor = 'admin:nobody' WHERE action = 'subscription.create'");
    }

    CliRun broken = run("audit", "verify");
    assertThat(broken.exit()).isEqualTo(HoldfastCommand.EXIT_AUDIT_BROKEN);
    assertThat(broken.err()).contains("audit chain is broken").contains("row 4");
  }
}
