package io.holdfast.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.InvalidWindowException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing change windows through the console's forms on a real replica: a ring's window, an
 * instance's zone and window, blackouts added and removed; a bad value refused with the model's
 * message and nothing stored; a role without the operation refused.
 */
class ConsoleWindowFormsTest {

  private static final String WINDOW = "Mon-Fri 19:00-07:00 in Europe/London";

  private ServerFixture server;
  private ConsoleClient admin;

  @BeforeEach
  void start(@TempDir Path dataDir) {
    server = ServerFixture.start(dataDir);
    server.createInstance("acme-prod", "live");
    admin = as("root", "admin");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ConsoleClient as(String name, String role) {
    JsonNode credential =
        server.admin(
            "POST",
            "/v1/admin/credentials",
            String.format("{\"name\":\"%s\",\"role\":\"%s\"}", name, role));
    return new ConsoleClient(server.server().port()).loggedIn(credential.get("token").asText());
  }

  /** Posts the instance page's form for acme-prod's zone and window. */
  private static String saveTiming(ConsoleClient client, String zone, String window) {
    return submitAndShow(
        client, "/console/instances/acme-prod/timing", "zone", zone, "changeWindow", window);
  }

  private JsonNode ring(String name) {
    for (JsonNode ring : server.admin("GET", "/v1/admin/rollouts", null).get("rings")) {
      if (ring.get("name").asText().equals(name)) {
        return ring;
      }
    }
    throw new AssertionError("no ring " + name);
  }

  private JsonNode instance(String id) {
    return server.admin("GET", "/v1/admin/instances/" + id, null);
  }

  private JsonNode blackouts() {
    return server.admin("GET", "/v1/admin/blackouts", null).get("blackouts");
  }

  /** Posts a form and follows its redirect to the page it shows next. */
  private static String submitAndShow(ConsoleClient client, String path, String... fields) {
    HttpResponse<String> response = client.submit(path, fields);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    return client.get(response.headers().firstValue("Location").orElseThrow()).body();
  }

  private static String invalidWindowMessage(String text) {
    return Html.escape(
        catchThrowableOfType(InvalidWindowException.class, () -> ChangeWindow.parse(text))
            .getMessage());
  }

  @Test
  void ringWindow_setThenRemoved_throughTheRolloutsPageForms() {
    assertThat(admin.get("/console/rollouts").body())
        .contains("action=\"/console/rings/live/window\"");

    String set = submitAndShow(admin, "/console/rings/live/window", "changeWindow", WINDOW);

    assertThat(ring("live").get("changeWindow").asText()).isEqualTo(WINDOW);
    assertThat(set).contains("Change window set").contains("id=\"window-live\">" + WINDOW + "<");

    String removed = submitAndShow(admin, "/console/rings/live/window", "changeWindow", "");

    assertThat(ring("live").get("changeWindow").isNull()).isTrue();
    assertThat(removed)
        .contains("Change window removed")
        .contains("id=\"window-live\">always open<");
  }

  @Test
  void ringWindow_malformed_showsTheModelsMessage_andStoresNothing() {
    submitAndShow(admin, "/console/rings/live/window", "changeWindow", WINDOW);
    String bad = "Mon-Fry 19:00-07:00 in Europe/London";

    String shown = submitAndShow(admin, "/console/rings/live/window", "changeWindow", bad);

    assertThat(shown).contains("Invalid change window").contains(invalidWindowMessage(bad));
    assertThat(ring("live").get("changeWindow").asText()).isEqualTo(WINDOW);
  }

  @Test
  void instanceZoneAndWindow_setThenRemoved_throughTheInstancePageForm() {
    assertThat(admin.get("/console/instances/acme-prod").body())
        .contains("action=\"/console/instances/acme-prod/timing\"");

    String set = saveTiming(admin, "Asia/Tokyo", "Sat-Sun all day in Asia/Tokyo");

    assertThat(instance("acme-prod").get("zone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(instance("acme-prod").get("changeWindow").asText())
        .isEqualTo("Sat-Sun all day in Asia/Tokyo");
    assertThat(set).contains("id=\"zone\">Asia/Tokyo<");

    saveTiming(admin, "", "");

    assertThat(instance("acme-prod").get("zone").isNull()).isTrue();
    assertThat(instance("acme-prod").get("changeWindow").isNull()).isTrue();
  }

  @Test
  void instanceTiming_badWindowWithAGoodZone_changesNeither() {
    String bad = "Sat-Sun 25:00-26:00 in Asia/Tokyo";

    String shown = saveTiming(admin, "Asia/Tokyo", bad);

    assertThat(shown).contains(invalidWindowMessage(bad));
    assertThat(instance("acme-prod").get("zone").isNull()).isTrue();
    assertThat(instance("acme-prod").get("changeWindow").isNull()).isTrue();
  }

  @Test
  void blackout_addedThenRemoved_throughTheRolloutsPageForms() {
    String added =
        submitAndShow(
            admin,
            "/console/blackouts",
            "level",
            "instance",
            "target",
            "acme-prod",
            "from",
            "2027-11-26",
            "to",
            "2027-11-29",
            "zone",
            "",
            "reason",
            "Black Friday");

    assertThat(blackouts()).hasSize(1);
    JsonNode stored = blackouts().get(0);
    assertThat(stored.get("level").asText()).isEqualTo("instance");
    assertThat(stored.get("target").asText()).isEqualTo("acme-prod");
    assertThat(stored.get("reason").asText()).isEqualTo("Black Friday");
    long id = stored.get("id").asLong();
    assertThat(added)
        .contains("id=\"blackout-" + id + "\"")
        .contains("action=\"/console/blackouts/" + id + "/remove\"");

    String removed = submitAndShow(admin, "/console/blackouts/" + id + "/remove");

    assertThat(blackouts()).isEmpty();
    assertThat(removed).contains("Blackout " + id + " removed").contains("No blackout dates.");
  }

  @Test
  void blackout_globalWithATarget_showsTheModelsMessage_andStoresNothing() {
    String shown =
        submitAndShow(
            admin,
            "/console/blackouts",
            "level",
            "global",
            "target",
            "acme-prod",
            "from",
            "2027-11-26",
            "reason",
            "Black Friday");

    assertThat(shown).contains("a global blackout applies to every instance and names no target");
    assertThat(blackouts()).isEmpty();
  }

  @Test
  void viewer_seesNoWindowForms_andIsRefusedWhenPostingThem() {
    ConsoleClient viewer = as("watcher", "viewer");
    assertThat(viewer.get("/console/rollouts").body())
        .doesNotContain("/console/rings/live/window")
        .doesNotContain("action=\"/console/blackouts\"");
    assertThat(viewer.get("/console/instances/acme-prod").body()).doesNotContain("/timing");

    String ringRefused =
        submitAndShow(viewer, "/console/rings/live/window", "changeWindow", WINDOW);
    String instanceRefused =
        submitAndShow(
            viewer,
            "/console/instances/acme-prod/timing",
            "zone",
            "Asia/Tokyo",
            "changeWindow",
            "");
    String blackoutRefused =
        submitAndShow(
            viewer, "/console/blackouts", "level", "global", "from", "2027-11-26", "reason", "no");

    assertThat(ringRefused).contains("this needs the admin role");
    assertThat(instanceRefused).contains("this needs the editor role");
    assertThat(blackoutRefused).contains("this needs the publisher role");
    assertThat(ring("live").get("changeWindow").isNull()).isTrue();
    assertThat(instance("acme-prod").get("zone").isNull()).isTrue();
    assertThat(blackouts()).isEmpty();
  }
}
