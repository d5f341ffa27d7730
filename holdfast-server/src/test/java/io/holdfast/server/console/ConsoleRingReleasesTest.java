package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console shows of ring releases and of rings allowed to be empty: a namespace's history
 * lists each release with its ring, an instance's history only the releases that reached its own
 * ring, and the rollouts page whether each ring may be empty.
 */
class ConsoleRingReleasesTest {

  @TempDir Path dataDir;

  private ServerFixture server;
  private ConsoleClient admin;

  @BeforeEach
  void start() {
    server = ServerFixture.startConfigured(dataDir, b -> b.rolloutApprovals(0));
    server.createNamespace("core");
    server.publishLayer("core", "default", "{\"maxUsers\":10}");
    server.createInstance("acme-prod", "live");
    server.admin("PATCH", "/v1/admin/rings/live", "{\"gate\":{\"allowEmpty\":true}}");
    server.admin(
        "POST",
        "/v1/admin/changes",
        "{\"description\":\"raise\",\"edits\":[{\"namespace\":\"core\",\"scope\":\"default\","
            + "\"content\":{\"maxUsers\":20}}]}");
    assertThat(server.server().rolloutEngine().tick())
        .singleElement()
        .asString()
        .contains("started in ring test");
    admin = new ConsoleClient(server.server().port()).loggedIn(server.adminToken());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theNamespaceHistory_listsTheReleaseToRingTest_withItsRing() {
    String history = section(admin.get("/console/namespaces/core").body(), "id=\"history\"");

    assertThat(history)
        .contains("<th scope=\"col\">Rings</th>")
        .containsPattern("<td>default</td><td>test</td><td>[^<]+</td><td>rollout-engine@")
        .contains("reaches ring test");
  }

  @Test
  void anInstanceHistory_leavesOutAReleaseToAnotherRing() {
    String history = section(admin.get("/console/instances/acme-prod").body(), "id=\"history\"");

    assertThat(history).contains("<td>default</td>").doesNotContain("reaches ring test");
  }

  @Test
  void theRolloutsPage_saysWhichRingsMayBeEmpty() {
    String rings = section(admin.get("/console/rollouts").body(), "id=\"rings\"");

    assertThat(rings)
        .contains("<th scope=\"col\">May be empty</th>")
        .containsPattern("<td>live</td>(<td[^>]*>[^<]*</td>){5}<td[^>]*>yes</td>")
        .containsPattern("<td>test</td>(<td[^>]*>[^<]*</td>){5}<td[^>]*>no</td>");
  }

  /** The table that opens with {@code marker}, up to its end. */
  private static String section(String page, String marker) {
    int start = page.indexOf(marker);
    assertThat(start).as("%s in the page", marker).isNotNegative();
    return page.substring(start, page.indexOf("</table>", start));
  }
}
