package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import io.holdfast.server.window.Blackout;
import io.holdfast.server.window.ChangeWindow;
import io.holdfast.server.window.IanaZone;
import io.holdfast.server.window.InvalidWindowException;
import io.holdfast.server.window.WindowSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Change windows through the admin API (issue 22): a ring's window, an instance's zone and window,
 * and blackouts at each level are set, shown, removed and audited; every malformed window, zone and
 * blackout is refused with a 400 problem carrying the model's own message, and changes nothing
 * (read back: every list, the rollout settings and the number of audit rows).
 */
class ChangeWindowAdminTest {

  private static final String EVENINGS = "Mon-Fri 19:00-07:00, Sat-Sun all day in Europe/London";
  private static final String STANDING = "Sat-Sun all day in UTC";

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static RolloutTestSupport.Crew crew;

  @BeforeAll
  static void start() {
    server = ServerFixture.start(dataDir);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createInstance("standing", "live");
    // Settings that a refused request must leave exactly as they are.
    server.admin("PATCH", "/v1/admin/rings/test", body("changeWindow", STANDING));
    server.admin(
        "PATCH",
        "/v1/admin/instances/standing",
        "{\"zone\":\"Asia/Tokyo\",\"changeWindow\":\"" + STANDING + "\"}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String body(String member, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put(member, value);
    return node.toString();
  }

  private static JsonNode ring(JsonNode rings, String name) {
    for (JsonNode ring : rings) {
      if (ring.get("name").asText().equals(name)) {
        return ring;
      }
    }
    throw new AssertionError("no ring " + name + " in " + rings);
  }

  private static JsonNode listed(String instance) {
    for (JsonNode node : server.admin("GET", "/v1/admin/instances", null).get("instances")) {
      if (node.get("id").asText().equals(instance)) {
        return node;
      }
    }
    throw new AssertionError("no instance " + instance);
  }

  private static List<String> actions(String target) {
    List<String> actions = new ArrayList<>();
    RolloutTestSupport.audit(server, target).forEach(e -> actions.add(e.get("action").asText()));
    return actions;
  }

  /** The message the model refuses with; the API must answer exactly it. */
  private static String modelMessage(ThrowingCallable model) {
    InvalidWindowException refused = catchThrowableOfType(InvalidWindowException.class, model);
    assertThat(refused).as("the model refuses it").isNotNull();
    return refused.getMessage();
  }

  private static String fingerprint() {
    return RolloutTestSupport.fingerprint(server, "core");
  }

  /**
   * Sends a request that must be refused as {@code type} and change nothing (every list, the
   * rollout settings, the audit rows); returns the problem's detail.
   */
  private static String refused(
      ProblemType type, String method, String path, String token, String json) {
    String before = fingerprint();
    HttpResponse<byte[]> response = server.sendJson(method, path, token, json);
    String detail = assertProblem(response, type).get("detail").asText();
    assertThat(fingerprint()).as("a refused request changes nothing").isEqualTo(before);
    return detail;
  }

  // ------------------------------------------------------------------ rings

  @Test
  void ringWindow_isSetInCanonicalForm_listedInRingsAndRollouts_audited_andRemovedWithNull() {
    String written = "  mon-fri 19:00-07:00 , sat-sun all day in Europe/London ";
    String canonical = ChangeWindow.parse(written).format();

    JsonNode set = server.admin("PATCH", "/v1/admin/rings/beta", body("changeWindow", written));

    assertThat(set.get("changeWindow").asText()).isEqualTo(canonical).isEqualTo(EVENINGS);
    JsonNode rings = server.admin("GET", "/v1/admin/rings", null).get("rings");
    assertThat(ring(rings, "beta").get("changeWindow").asText()).isEqualTo(canonical);
    assertThat(ring(rings, "dev").get("changeWindow").isNull()).as("dev has none").isTrue();
    assertThat(ring(rings, "beta").get("bakeTime").asText())
        .as("the bake time stays as it was")
        .isEqualTo("PT48H");
    JsonNode overview = server.admin("GET", "/v1/admin/rollouts", null).get("rings");
    assertThat(ring(overview, "beta").get("changeWindow").asText()).isEqualTo(canonical);
    JsonNode audit = RolloutTestSupport.audit(server, "ring:beta").get(0);
    assertThat(audit.get("action").asText()).isEqualTo("ring.window");
    assertThat(audit.get("actor").asText()).isEqualTo("admin:bootstrap");
    assertThat(audit.at("/after/changeWindow").asText()).isEqualTo(canonical);

    JsonNode removed = server.admin("PATCH", "/v1/admin/rings/beta", "{\"changeWindow\":null}");

    assertThat(removed.get("changeWindow").isNull()).isTrue();
    rings = server.admin("GET", "/v1/admin/rings", null).get("rings");
    assertThat(ring(rings, "beta").get("changeWindow").isNull()).isTrue();
    assertThat(actions("ring:beta")).startsWith("ring.window", "ring.window");
  }

  @Test
  void ringWindow_andBakeTime_changeTogetherInOneRequest() {
    JsonNode both =
        server.admin(
            "PATCH",
            "/v1/admin/rings/dev",
            "{\"bakeTime\":\"30h\",\"changeWindow\":\"Sat all day in UTC\"}");

    assertThat(both.get("bakeTime").asText()).isEqualTo("PT30H");
    assertThat(both.get("changeWindow").asText()).isEqualTo("Sat all day in UTC");
    JsonNode dev = ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "dev");
    assertThat(dev.get("bakeTime").asText()).isEqualTo("PT30H");
    assertThat(dev.get("changeWindow").asText()).isEqualTo("Sat all day in UTC");
    server.admin("PATCH", "/v1/admin/rings/dev", "{\"bakeTime\":\"24h\",\"changeWindow\":null}");
  }

  static Stream<String> malformedWindows() {
    return Stream.of(
        "",
        "   ",
        "Mon-Fri 19:00-07:00",
        "in Europe/London",
        "Mon 19:00-07:00 in Mars/Olympus",
        "Mon 19:00-07:00 in europe/london",
        "Mon 19:00-07:00 in +01:00",
        "Mon 19:00-19:00 in UTC",
        "Mon 09:00-17:00, Mon 12:00-13:00 in UTC",
        "Funday 09:00-17:00 in UTC",
        "Mon 25:00-07:00 in UTC",
        "Mon 9-17 in UTC",
        "Mon 09:00-17:00 in " + "A".repeat(ChangeWindow.MAX_TEXT_LENGTH));
  }

  @ParameterizedTest
  @MethodSource("malformedWindows")
  void malformedRingWindow_isRefusedWithTheModelsMessage_andChangesNothing(String window) {
    String expected = modelMessage(() -> ChangeWindow.parse(window));
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.put("bakeTime", "1h");
    patch.put("changeWindow", window);

    String detail =
        refused(
            ProblemType.INVALID_WINDOW,
            "PATCH",
            "/v1/admin/rings/test",
            server.adminToken(),
            patch.toString());

    assertThat(detail).isEqualTo(expected);
    JsonNode test = ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "test");
    assertThat(test.get("changeWindow").asText()).isEqualTo(STANDING);
    assertThat(test.get("bakeTime").asText()).isEqualTo("PT0S");
  }

  @Test
  void ringWindow_inTheObjectForm_isStoredAndShownAsItsCanonicalText() {
    JsonNode set =
        server.admin(
            "PATCH",
            "/v1/admin/rings/live",
            "{\"changeWindow\":{\"zone\":\"Europe/London\","
                + "\"open\":[\"mon-fri 19:00-07:00\",\"Sat-Sun all day\"]}}");

    assertThat(set.get("changeWindow").asText()).isEqualTo(EVENINGS);
    JsonNode live = ring(server.admin("GET", "/v1/admin/rings", null).get("rings"), "live");
    assertThat(live.get("changeWindow").asText()).isEqualTo(EVENINGS);
    server.admin("PATCH", "/v1/admin/rings/live", "{\"changeWindow\":null}");
  }

  static Stream<Arguments> malformedWindowObjects() {
    return Stream.of(
        Arguments.of(
            "{\"zone\":\"Mars/Olympus\",\"open\":[\"Mon 09:00-17:00\"]}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> ChangeWindow.of("Mars/Olympus", List.of("Mon 09:00-17:00")))),
        Arguments.of(
            "{\"open\":[\"Mon 09:00-17:00\"]}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> ChangeWindow.of(null, List.of("Mon 09:00-17:00")))),
        Arguments.of(
            "{\"zone\":\"UTC\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> ChangeWindow.of("UTC", null))),
        Arguments.of(
            "{\"zone\":\"UTC\",\"open\":[]}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> ChangeWindow.of("UTC", List.of()))),
        Arguments.of(
            "{\"zone\":\"UTC\",\"open\":[\"Mon 09:00-17:00\",\"Mon 12:00-13:00\"]}",
            ProblemType.INVALID_WINDOW,
            modelMessage(
                () -> ChangeWindow.of("UTC", List.of("Mon 09:00-17:00", "Mon 12:00-13:00")))),
        Arguments.of(
            "{\"zone\":\"UTC\",\"open\":\"Mon 09:00-17:00\"}",
            ProblemType.INVALID_REQUEST,
            "member 'changeWindow.open' must be an array of ranges' texts"),
        Arguments.of(
            "{\"zone\":\"UTC\",\"open\":[5]}",
            ProblemType.INVALID_REQUEST,
            "member 'changeWindow.open' must be an array of ranges' texts"),
        Arguments.of(
            "{\"zone\":\"UTC\",\"open\":[\"Mon all day\"],\"closed\":[]}",
            ProblemType.UNKNOWN_FIELD,
            "member 'changeWindow.closed' is unknown or read-only here"));
  }

  @ParameterizedTest
  @MethodSource("malformedWindowObjects")
  void malformedRingWindowObject_isRefusedWithAPreciseMessage_andChangesNothing(
      String window, ProblemType type, String expected) {
    String body = "{\"bakeTime\":\"1h\",\"changeWindow\":" + window + "}";

    String detail = refused(type, "PATCH", "/v1/admin/rings/test", server.adminToken(), body);

    assertThat(detail).startsWith(expected);
  }

  @Test
  void ringWindowOfTheWrongType_orOfAnUnknownRing_isRefused_andChangesNothing() {
    String admin = server.adminToken();

    String number =
        refused(
            ProblemType.INVALID_REQUEST,
            "PATCH",
            "/v1/admin/rings/test",
            admin,
            "{\"changeWindow\":5}");
    String unknown =
        refused(
            ProblemType.RING_NOT_FOUND,
            "PATCH",
            "/v1/admin/rings/nowhere",
            admin,
            body("changeWindow", EVENINGS));

    assertThat(number)
        .isEqualTo(
            "member 'changeWindow' must be a window's text, an object with 'zone' and 'open', or"
                + " null");
    assertThat(unknown).contains("nowhere");
  }

  // ------------------------------------------------------------------ instances

  @Test
  void instanceZoneAndWindow_areSetApart_shownInBothViews_andRemovedWithNull() {
    server.createInstance("win-a", "live");
    assertThat(listed("win-a").get("zone").isNull()).isTrue();
    assertThat(listed("win-a").get("changeWindow").isNull()).isTrue();

    JsonNode zoned =
        server.admin("PATCH", "/v1/admin/instances/win-a", body("zone", "America/New_York"));
    assertThat(zoned.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(zoned.get("changeWindow").isNull()).isTrue();

    JsonNode windowed =
        server.admin("PATCH", "/v1/admin/instances/win-a", body("changeWindow", EVENINGS));
    assertThat(windowed.get("zone").asText()).as("the zone is kept").isEqualTo("America/New_York");
    assertThat(windowed.get("changeWindow").asText()).isEqualTo(EVENINGS);
    JsonNode one = server.admin("GET", "/v1/admin/instances/win-a", null);
    assertThat(one.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(one.get("changeWindow").asText()).isEqualTo(EVENINGS);
    assertThat(listed("win-a").get("zone").asText()).isEqualTo("America/New_York");
    assertThat(listed("win-a").get("changeWindow").asText()).isEqualTo(EVENINGS);

    JsonNode unzoned = server.admin("PATCH", "/v1/admin/instances/win-a", "{\"zone\":null}");
    assertThat(unzoned.get("zone").isNull()).isTrue();
    assertThat(unzoned.get("changeWindow").asText()).as("the window is kept").isEqualTo(EVENINGS);

    JsonNode cleared =
        server.admin(
            "PATCH",
            "/v1/admin/instances/win-a",
            "{\"changeWindow\":null,\"labels\":{\"team\":\"payments\"}}");
    assertThat(cleared.get("changeWindow").isNull()).isTrue();
    assertThat(cleared.at("/labels/team").asText()).isEqualTo("payments");
    assertThat(listed("win-a").get("changeWindow").isNull()).isTrue();
    assertThat(listed("win-a").get("zone").isNull()).isTrue();
    assertThat(actions("instance:win-a"))
        .as("newest first")
        .containsExactly(
            "instance.window",
            "instance.update",
            "instance.window",
            "instance.window",
            "instance.window",
            "instance.create");
  }

  static Stream<Arguments> malformedInstanceSettings() {
    Stream<Arguments> zones =
        Stream.of("", "Mars/Olympus", "europe/london", "+02:00", "EST", "A".repeat(100))
            .map(zone -> Arguments.of("zone", zone, modelMessage(() -> IanaZone.parse(zone))));
    Stream<Arguments> windows =
        malformedWindows()
            .map(
                window ->
                    Arguments.of(
                        "changeWindow", window, modelMessage(() -> ChangeWindow.parse(window))));
    return Stream.concat(zones, windows);
  }

  @ParameterizedTest
  @MethodSource("malformedInstanceSettings")
  void malformedInstanceZoneOrWindow_isRefusedWithTheModelsMessage_andChangesNothing(
      String member, String value, String expected) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("labels").put("changed", "yes");
    patch.put("zone", "Europe/Paris");
    patch.put("changeWindow", "daily all day in UTC");
    patch.put(member, value);

    String detail =
        refused(
            ProblemType.INVALID_WINDOW,
            "PATCH",
            "/v1/admin/instances/standing",
            server.adminToken(),
            patch.toString());

    assertThat(detail).isEqualTo(expected);
    JsonNode standing = server.admin("GET", "/v1/admin/instances/standing", null);
    assertThat(standing.get("zone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(standing.get("changeWindow").asText()).isEqualTo(STANDING);
    assertThat(standing.get("labels").size()).isZero();
  }

  @Test
  void instanceWindowOfAnUnknownInstance_isNotFound_andMovingToAnUnknownRingWritesNoWindow() {
    String admin = server.adminToken();

    String unknown =
        refused(
            ProblemType.INSTANCE_NOT_FOUND,
            "PATCH",
            "/v1/admin/instances/nobody",
            admin,
            body("zone", "UTC"));
    String badRing =
        refused(
            ProblemType.RING_NOT_FOUND,
            "PATCH",
            "/v1/admin/instances/standing",
            admin,
            "{\"ring\":\"nowhere\",\"zone\":\"Europe/Paris\"}");

    assertThat(unknown).contains("nobody");
    assertThat(badRing).contains("nowhere");
  }

  // ------------------------------------------------------------------ roles

  @Test
  void windowEdits_needTheRoleOfTheirOperation_andARefusalChangesNothing() {
    String publisherOnRing =
        refused(
            ProblemType.FORBIDDEN,
            "PATCH",
            "/v1/admin/rings/test",
            crew.publisher(),
            body("changeWindow", EVENINGS));
    String viewerOnInstance =
        refused(
            ProblemType.FORBIDDEN,
            "PATCH",
            "/v1/admin/instances/standing",
            crew.viewer(),
            body("zone", "Europe/Paris"));
    String editorAddsBlackout =
        refused(
            ProblemType.FORBIDDEN,
            "POST",
            "/v1/admin/blackouts",
            crew.editor(),
            "{\"level\":\"global\",\"from\":\"2027-12-24\",\"reason\":\"Christmas Eve\"}");

    assertThat(publisherOnRing).contains("admin");
    assertThat(viewerOnInstance).contains("editor");
    assertThat(editorAddsBlackout).contains("publisher");

    server.createInstance("win-editor", "live");
    HttpResponse<byte[]> allowed =
        server.sendJson(
            "PATCH", "/v1/admin/instances/win-editor", crew.editor(), body("zone", "UTC"));
    assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
    assertThat(json(allowed).get("zone").asText()).isEqualTo("UTC");
  }

  // ------------------------------------------------------------------ blackouts

  @Test
  void blackoutsAtEveryLevel_areAddedListedAndRemoved_andAudited() {
    server.createInstance("win-b", "beta");
    JsonNode global =
        json(
            added(
                "{\"level\":\"global\",\"from\":\"2027-11-26\",\"to\":\"2027-11-29\","
                    + "\"zone\":\"America/New_York\",\"reason\":\"Black Friday\"}"));
    JsonNode ring =
        json(
            added(
                "{\"level\":\"ring\",\"target\":\"beta\",\"from\":\"2027-12-31\","
                    + "\"reason\":\"  Year end  \"}"));
    JsonNode instance =
        json(
            added(
                "{\"level\":\"instance\",\"target\":\"win-b\",\"from\":\"2027-03-29\","
                    + "\"to\":\"2027-03-31\",\"reason\":\"Quarter end: close the books\"}"));

    assertThat(global.get("level").asText()).isEqualTo("global");
    assertThat(global.get("target").isNull()).isTrue();
    assertThat(global.get("from").asText()).isEqualTo("2027-11-26");
    assertThat(global.get("to").asText()).isEqualTo("2027-11-29");
    assertThat(global.get("zone").asText()).isEqualTo("America/New_York");
    assertThat(global.get("reason").asText()).isEqualTo("Black Friday");
    assertThat(global.get("createdAt").asText()).isNotBlank();
    assertThat(ring.get("target").asText()).isEqualTo("beta");
    assertThat(ring.get("to").asText()).as("one day").isEqualTo("2027-12-31");
    assertThat(ring.get("zone").isNull()).as("each instance's own zone").isTrue();
    assertThat(ring.get("reason").asText()).isEqualTo("Year end");
    assertThat(instance.get("level").asText()).isEqualTo("instance");
    assertThat(instance.get("target").asText()).isEqualTo("win-b");
    assertThat(instance.get("id").asLong())
        .isGreaterThan(ring.get("id").asLong())
        .isGreaterThan(global.get("id").asLong());
    assertThat(blackouts()).containsSubsequence(global, ring, instance);

    for (JsonNode blackout : List.of(global, ring, instance)) {
      String path = "/v1/admin/blackouts/" + blackout.get("id").asText();
      HttpResponse<byte[]> removed = server.send("DELETE", path, crew.publisher(), null);
      assertThat(removed.statusCode()).as(text(removed)).isEqualTo(204);
      assertThat(removed.body()).isEmpty();
      assertThat(blackouts()).doesNotContain(blackout);
      HttpResponse<byte[]> again = server.send("DELETE", path, crew.publisher(), null);
      assertThat(assertProblem(again, ProblemType.BLACKOUT_NOT_FOUND).get("detail").asText())
          .isEqualTo("blackout " + blackout.get("id").asText() + " does not exist");
      List<String> audited = actions("blackout:" + blackout.get("id").asText());
      assertThat(audited).containsExactly("blackout.remove", "blackout.add");
    }
  }

  @Test
  void removingABlackoutThatIsNotAWholeNumber_isNotFound() {
    for (String id : List.of("x", "0", "-1", "1.5", "99999999999999999999")) {
      HttpResponse<byte[]> refused =
          server.send("DELETE", "/v1/admin/blackouts/" + id, crew.publisher(), null);
      assertThat(assertProblem(refused, ProblemType.BLACKOUT_NOT_FOUND).get("detail").asText())
          .isEqualTo("blackout ids are positive whole numbers; '" + id + "' is not one");
    }
  }

  private static HttpResponse<byte[]> added(String json) {
    HttpResponse<byte[]> response =
        server.sendJson("POST", "/v1/admin/blackouts", crew.publisher(), json);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    return response;
  }

  private static List<JsonNode> blackouts() {
    List<JsonNode> all = new ArrayList<>();
    server.admin("GET", "/v1/admin/blackouts", null).get("blackouts").forEach(all::add);
    return all;
  }

  private static final String DAYS = "\"from\":\"2027-11-26\",\"to\":\"2027-11-29\"";

  static Stream<Arguments> malformedBlackouts() {
    return Stream.of(
        Arguments.of(
            "{\"level\":\"global\",\"from\":\"2027-11-29\",\"to\":\"2027-11-26\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-11-29", "2027-11-26", null, "r"))),
        Arguments.of(
            "{\"level\":\"global\",\"from\":\"2027-02-30\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-02-30", null, null, "r"))),
        Arguments.of(
            "{\"level\":\"global\",\"to\":\"2027-11-26\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of(null, "2027-11-26", null, "r"))),
        Arguments.of(
            "{\"level\":\"global\",\"from\":\"2027-01-01\",\"to\":\"2028-01-02\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-01-01", "2028-01-02", null, "r"))),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + ",\"zone\":\"Mars/Olympus\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> IanaZone.parse("Mars/Olympus"))),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + ",\"zone\":\"+01:00\",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> IanaZone.parse("+01:00"))),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + "}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-11-26", "2027-11-29", null, null))),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + ",\"reason\":\"" + "r".repeat(201) + "\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-11-26", "2027-11-29", null, "r".repeat(201)))),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + ",\"reason\":\"two\\nlines\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> Blackout.of("2027-11-26", "2027-11-29", null, "two\nlines"))),
        Arguments.of(
            "{\"level\":\"planet\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> WindowSettings.level("planet"))),
        Arguments.of(
            "{" + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            modelMessage(() -> WindowSettings.level(null))),
        Arguments.of(
            "{\"level\":\"global\",\"target\":\"beta\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            "a global blackout applies to every instance and names no target; drop 'beta', or"
                + " use level ring or instance"),
        Arguments.of(
            "{\"level\":\"ring\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            "a ring blackout needs its target: the ring's name"),
        Arguments.of(
            "{\"level\":\"instance\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_WINDOW,
            "an instance blackout needs its target: the instance's id"),
        Arguments.of(
            "{\"level\":\"ring\",\"target\":\"nowhere\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.RING_NOT_FOUND,
            "ring nowhere does not exist"),
        Arguments.of(
            "{\"level\":\"instance\",\"target\":\"nobody\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INSTANCE_NOT_FOUND,
            "instance nobody does not exist"),
        Arguments.of(
            "{\"level\":\"ring\",\"target\":\"Bad Name!\"," + DAYS + ",\"reason\":\"r\"}",
            ProblemType.INVALID_NAME,
            "ring name"),
        Arguments.of(
            "{\"level\":\"global\",\"from\":20271126,\"reason\":\"r\"}",
            ProblemType.INVALID_REQUEST,
            "member 'from' must be a string"),
        Arguments.of(
            "{\"level\":\"global\"," + DAYS + ",\"reason\":\"r\",\"id\":7}",
            ProblemType.UNKNOWN_FIELD,
            "member 'id' is unknown or read-only here"));
  }

  @ParameterizedTest
  @MethodSource("malformedBlackouts")
  void malformedBlackout_isRefusedWithAPreciseMessage_andStoresNothing(
      String json, ProblemType type, String expected) {
    String detail = refused(type, "POST", "/v1/admin/blackouts", crew.publisher(), json);

    assertThat(detail).startsWith(expected);
  }

  @Test
  void aLevelWithTheMostBlackouts_refusesOneMore_andStoresNothing() {
    server.createInstance("win-full", "live");
    for (int day = 0; day < Blackout.MAX_PER_LEVEL; day++) {
      added(
          "{\"level\":\"instance\",\"target\":\"win-full\",\"from\":\""
              + java.time.LocalDate.of(2030, 1, 1).plusDays(day)
              + "\",\"reason\":\"day "
              + day
              + "\"}");
    }

    String detail =
        refused(
            ProblemType.INVALID_REQUEST,
            "POST",
            "/v1/admin/blackouts",
            crew.publisher(),
            "{\"level\":\"instance\",\"target\":\"win-full\",\"from\":\"2031-06-01\","
                + "\"reason\":\"one too many\"}");

    assertThat(detail)
        .isEqualTo(
            "instance win-full already has "
                + Blackout.MAX_PER_LEVEL
                + " blackouts; remove one first");
    HttpResponse<byte[]> otherInstance =
        added(
            "{\"level\":\"instance\",\"target\":\"standing\",\"from\":\"2031-06-01\","
                + "\"reason\":\"another level's own\"}");
    server.send(
        "DELETE",
        "/v1/admin/blackouts/" + json(otherInstance).get("id").asText(),
        crew.publisher(),
        null);
  }
}
