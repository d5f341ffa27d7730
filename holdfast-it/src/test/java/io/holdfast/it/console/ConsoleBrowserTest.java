package io.holdfast.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.testkit.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The console in real headless Chromium against two real replicas and real SDK clients: an operator
 * logs in and sees the fleet, edits a namespace and rolls the change out ring by ring, watches an
 * instance turn STALE live when the replica it reads from breaks, and backs a rollout out. Every
 * page visited is saved as a screenshot under {@code target/console-screenshots/}.
 */
@Timeout(180)
class ConsoleBrowserTest {

  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));

  @TempDir Path dataDir;

  @TempDir Path profile;

  private ConsoleFleet fleet;
  private HeadlessChromium browser;

  @BeforeEach
  void start() throws Exception {
    fleet = new ConsoleFleet(dataDir);
    fleet.instances();
    EVENTUALLY.until(
        () ->
            fleet.clients().values().stream()
                .allMatch(c -> c.status("core").status() == Status.FRESH));
    browser = new HeadlessChromium(profile);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private void logIn(int replica) {
    browser.driver().get(fleet.console(replica) + "/login");
    browser.driver().findElement(By.id("token")).sendKeys(fleet.adminToken());
    browser.click(By.id("login"));
    browser.await().until(d -> d.getCurrentUrl().endsWith("/console/fleet"));
  }

  private String state(String instance) {
    return browser
        .await()
        .until(d -> d.findElement(By.id("instance-" + instance)).getDomAttribute("data-state"));
  }

  @Test
  void loggingIn_withAnAdminToken_showsTheFleetByRing_andAWrongTokenIsRefused() {
    browser.driver().get(fleet.console(1) + "/fleet");
    browser.await().until(d -> d.getCurrentUrl().endsWith("/console/login"));
    browser.screenshot("01-login");
    browser.driver().findElement(By.id("token")).sendKeys("hfa_not-a-token");
    browser.click(By.id("login"));
    assertThat(browser.text(By.id("flash"))).contains("Authentication required");
    browser.screenshot("02-login-refused");

    logIn(1);

    assertThat(browser.text(By.id("operator"))).isEqualTo("bootstrap");
    assertThat(browser.text(By.id("operator-role"))).isEqualTo("admin");
    for (String ring : ConsoleFleet.RINGS) {
      assertThat(browser.text(By.cssSelector("#ring-" + ring + " h2"))).isEqualTo("Ring " + ring);
      browser.await().until(d -> state(ring + "-1").equals("fresh"));
    }
    browser.await().until(d -> browser.text(By.id("count-fresh")).startsWith("5"));
    assertThat(browser.driver().manage().getCookieNamed("holdfast_console").isHttpOnly()).isTrue();
    assertThat(browser.driver().getPageSource()).doesNotContain(fleet.adminToken());
    browser.screenshot("03-fleet");
  }

  @Test
  void editingANamespace_andRollingItOutRingByRing_reachesEveryInstance() {
    logIn(0);
    browser.click(By.linkText("Namespaces"));
    browser.click(By.linkText("core"));
    browser.screenshot("04-namespace");
    browser.click(By.id("edit-default"));
    WebElement content = browser.driver().findElement(By.id("content"));
    content.clear();
    content.sendKeys("{\"maxUsers\": 42, \"theme\": \"light\"}");
    browser.driver().findElement(By.id("description")).sendKeys("raise the user cap");
    browser.click(By.id("preview"));
    assertThat(browser.text(By.id("preview-result")))
        .contains("/maxUsers")
        .contains("42")
        .contains("ring:live");
    browser.screenshot("05-namespace-edit-preview");

    browser.click(By.id("create-change"));
    browser.await().until(d -> d.getCurrentUrl().matches(".*/console/changes/\\d+$"));
    assertThat(browser.text(By.id("flash"))).contains("created");
    assertThat(browser.text(By.id("change-state"))).isEqualTo("approved");
    long change = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*/", ""));

    for (String ring : ConsoleFleet.RINGS) {
      browser.clickAndConfirm(By.id("promote"));
      browser
          .await()
          .until(
              d ->
                  d.findElement(By.cssSelector("#change-live li.ring-current"))
                      .getText()
                      .equals(ring));
      if (ring.equals("dev")) {
        browser.screenshot("06-change-rolling-out");
      }
    }
    browser.clickAndConfirm(By.id("promote"));
    browser.await().until(d -> browser.text(By.id("change-state")).equals("completed"));
    browser.screenshot("07-change-completed");

    EVENTUALLY.untilAsserted(
        () -> {
          for (HoldfastClient client : fleet.clients().values()) {
            assertThat(client.snapshot("core").getInt("maxUsers", -1)).isEqualTo(42);
          }
        });
    assertThat(
            fleet
                .admin("GET", "/v1/admin/changes/" + change, null)
                .get("releases")
                .findValuesAsText("actor"))
        .containsOnly("admin:bootstrap");
    browser.click(By.linkText("Rollouts"));
    assertThat(browser.text(By.cssSelector("#change-" + change))).contains("completed");
    browser.screenshot("08-rollouts");
  }

  @Test
  void whenTheReplicaAnInstanceReadsFromBreaks_theOpenFleetPageShowsItStale_withoutAReload() {
    logIn(0);
    browser.await().until(d -> state("acme-prod").equals("fresh"));
    ((JavascriptExecutor) browser.driver()).executeScript("window.notReloaded = true;");

    fleet.proxy().fault("/config/", Fault.status(503));
    fleet.proxy().fault("/checksums", Fault.status(503));
    fleet.proxy().fault("/watch", Fault.status(503));

    browser.await().until(d -> state("acme-prod").equals("stale"));
    assertThat(
            ((JavascriptExecutor) browser.driver())
                .executeScript("return window.notReloaded === true;"))
        .isEqualTo(true);
    assertThat(browser.text(By.cssSelector("#instance-acme-prod .reason"))).startsWith("core:");
    assertThat(browser.text(By.id("count-stale"))).startsWith("1");
    for (String ring : ConsoleFleet.RINGS) {
      assertThat(state(ring + "-1"))
          .as("%s-1 reads from both replicas directly", ring)
          .isEqualTo("fresh");
    }
    browser.screenshot("09-fleet-instance-stale");

    browser.click(By.linkText("acme-prod"));
    assertThat(browser.text(By.id("heartbeat-namespaces"))).contains("STALE");
    assertThat(browser.text(By.id("content-core"))).isEmpty(); // collapsed until opened
    browser.click(By.cssSelector("#document-core summary"));
    assertThat(browser.text(By.id("content-core"))).contains("\"maxUsers\" : 10");
    browser.screenshot("10-instance-stale");

    browser.click(By.linkText("Replicas"));
    browser
        .await()
        .until(
            d -> {
              d.navigate().refresh();
              return d.findElement(By.id("probes"))
                      .getText()
                      .contains(fleet.proxy().uri().toString())
                  && d.findElements(By.cssSelector("#probes tr[data-healthy=false]")).size() == 1;
            });
    assertThat(browser.text(By.cssSelector("#probes tr[data-healthy=false]")))
        .contains(fleet.proxy().uri().toString());
    browser.screenshot("11-replicas-one-failing");
  }

  @Test
  void backingOutARollout_fromTheConsole_givesTheReachedRingsThePreviousContentBack() {
    long change =
        fleet
            .admin(
                "POST",
                "/v1/admin/changes",
                "{\"description\":\"maxUsers as text\",\"edits\":[{"
                    + "\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"maxUsers\":\"ten\"}}]}")
            .get("id")
            .asLong();
    fleet.admin("POST", "/v1/admin/changes/" + change + "/promote", null);
    fleet.admin("POST", "/v1/admin/changes/" + change + "/promote", null);
    EVENTUALLY.until(
        () -> fleet.client("dev-1").snapshot("core").content().path("maxUsers").isTextual());
    logIn(1);

    browser.driver().get(fleet.console(1) + "/changes/" + change);
    assertThat(browser.text(By.cssSelector("#change-live li.ring-current"))).isEqualTo("dev");
    browser.screenshot("12-change-before-backout");
    browser.driver().findElement(By.id("backout-reason")).sendKeys("clients cannot parse maxUsers");
    browser.clickAndConfirm(By.id("backout"));

    browser.await().until(d -> browser.text(By.id("change-state")).equals("backed out"));
    assertThat(browser.text(By.id("outcome"))).contains("clients cannot parse maxUsers");
    assertThat(browser.driver().findElements(By.id("promote"))).isEmpty();
    browser.screenshot("13-change-backed-out");
    EVENTUALLY.untilAsserted(
        () -> {
          for (String id : List.of("test-1", "dev-1")) {
            assertThat(fleet.client(id).snapshot("core").getInt("maxUsers", -1))
                .as(id)
                .isEqualTo(10);
          }
        });
    assertThat(fleet.client("live-1").snapshot("core").getInt("maxUsers", -1)).isEqualTo(10);
    assertThat(
            fleet
                .admin("GET", "/v1/admin/audit?action=change.backout", null)
                .get("entries")
                .findValuesAsText("actor"))
        .containsExactly("admin:bootstrap");
  }

  @Test
  void theOtherPages_renderInTheBrowser_forReview() {
    fleet.admin("POST", "/v1/admin/applications", "{\"name\":\"crm\",\"displayName\":\"CRM\"}");
    fleet.admin(
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\"acme-prod\",\"application\":\"crm\",\"quantity\":50,"
            + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"enterprise\"}");
    fleet.admin(
        "POST",
        "/v1/admin/subscriptions",
        "{\"instance\":\"beta-1\",\"application\":\"crm\",\"quantity\":5,"
            + "\"overage\":1,\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"starter\"}");
    fleet.admin("PUT", "/v1/admin/rollouts/freeze", "{\"reason\":\"quarter-end release window\"}");
    logIn(0);

    fleet.seats.put("acme-prod", java.util.Map.of("crm", 32L));
    fleet.seats.put("beta-1", java.util.Map.of("crm", 7L));

    browser.click(By.linkText("Subscriptions"));
    browser
        .await()
        .until(
            d -> {
              d.navigate().refresh();
              return d.findElement(By.id("over-count")).getText().equals("1 over-allocated");
            });
    assertThat(browser.text(By.cssSelector("#usage tr[data-over=true]")))
        .contains("beta-1")
        .contains("7")
        .contains("140 %")
        .contains("over-allocated");
    assertThat(browser.text(By.id("usage"))).contains("acme-prod").contains("64 %");
    browser.screenshot("14-subscriptions");
    browser.click(By.linkText("Rollouts"));
    assertThat(browser.text(By.id("freeze-status"))).contains("quarter-end release window");
    browser.screenshot("15-rollouts-frozen");
    browser.click(By.linkText("Audit log"));
    assertThat(browser.text(By.id("audit-verification"))).contains("chain intact");
    assertThat(browser.text(By.id("audit"))).contains("rollouts.freeze");
    browser.screenshot("16-audit");
  }
}
