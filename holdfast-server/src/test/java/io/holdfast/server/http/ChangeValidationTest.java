package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.assertProblem;
import static io.holdfast.server.http.HttpTestSupport.header;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.removal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistaken and hostile change requests (FAULTS C2, C11, D7; DESIGN invariant 6): each gets its own
 * RFC 9457 problem and changes nothing: not the change list, not the store's revision or the
 * namespace's layers, drafts and history, not the freeze, and not the audit log.
 */
class ChangeValidationTest {

  /**
   * What the published default layer of {@code core} holds; an edit to exactly this changes
   * nothing.
   */
  private static final String PUBLISHED = "{\"maxUsers\":5}";

  private static final String VALID_EDIT = edit("core", "default", "{\"maxUsers\":6}");

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static RolloutTestSupport.Crew crew;

  /** A change that stays a draft throughout, for the actions that need one. */
  private static long draft;

  private String before;

  @BeforeAll
  static void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createNamespace("other");
    server.createInstance("valid-one", "live");
    HttpTestSupport.stage(server, "core", "default", PUBLISHED);
    HttpTestSupport.publish(server, "core");
    // A draft stays staged throughout, so that a publish that wrongly got through would show.
    HttpTestSupport.stage(server, "core", "default", "{\"maxUsers\":7}");
    draft = RolloutTestSupport.create(server, crew.editor(), VALID_EDIT).get("id").asLong();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void takeFingerprint() {
    before = fingerprint(server, "core");
  }

  private void assertNothingChanged() {
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  private static Arguments of(
      String name, String method, String path, String body, ProblemType expected) {
    return Arguments.of(name, method, path, body, expected);
  }

  private static Arguments creating(String name, String body, ProblemType expected) {
    return of(name, "POST", CHANGES, body, expected);
  }

  /** {@code n} edits of distinct layers. */
  private static String[] edits(int n) {
    List<String> edits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      edits.add(edit("core", "instance:i-" + i, "{\"n\":" + i + "}"));
    }
    return edits.toArray(String[]::new);
  }

  static Stream<Arguments> badChanges() {
    ProblemType invalid = ProblemType.INVALID_REQUEST;
    return Stream.of(
        creating("description missing", "{\"edits\":[" + VALID_EDIT + "]}", invalid),
        creating("description blank", body("   ", VALID_EDIT), invalid),
        creating("description empty", body("", VALID_EDIT), invalid),
        creating(
            "description a number", "{\"description\":7,\"edits\":[" + VALID_EDIT + "]}", invalid),
        creating("description too long", body("d".repeat(1001), VALID_EDIT), invalid),
        creating("edits missing", "{\"description\":\"d\"}", invalid),
        creating("edits null", "{\"description\":\"d\",\"edits\":null}", invalid),
        creating("edits empty", body("d"), invalid),
        creating(
            "edits an object", "{\"description\":\"d\",\"edits\":" + VALID_EDIT + "}", invalid),
        creating("edits a string", "{\"description\":\"d\",\"edits\":\"default\"}", invalid),
        creating("101 edits", body("d", edits(101)), invalid),
        creating("an edit that is a number", "{\"description\":\"d\",\"edits\":[1]}", invalid),
        creating("content an array", body("d", edit("core", "default", "[1,2]")), invalid),
        creating("content a string", body("d", edit("core", "default", "\"maxUsers\"")), invalid),
        creating("content a number", body("d", edit("core", "default", "6")), invalid),
        creating("content null", body("d", edit("core", "default", "null")), invalid),
        creating(
            "content and remove",
            body(
                "d",
                "{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"a\":1},\"remove\":true}"),
            invalid),
        creating(
            "neither content nor remove",
            body("d", "{\"namespace\":\"core\",\"scope\":\"default\"}"),
            invalid),
        creating(
            "remove false without content",
            body("d", "{\"namespace\":\"core\",\"scope\":\"default\",\"remove\":false}"),
            invalid),
        creating(
            "remove a string",
            body("d", "{\"namespace\":\"core\",\"scope\":\"default\",\"remove\":\"yes\"}"),
            invalid),
        creating(
            "the same layer twice",
            body("d", VALID_EDIT, edit("core", "default", "{\"maxUsers\":8}")),
            invalid),
        creating(
            "the same layer set and removed",
            body("d", VALID_EDIT, removal("core", "default")),
            invalid),
        creating("namespace missing", body("d", "{\"scope\":\"default\",\"content\":{}}"), invalid),
        creating(
            "scope missing", body("d", "{\"namespace\":\"core\",\"content\":{\"a\":1}}"), invalid),
        creating(
            "baseRevision negative",
            body(
                "d",
                "{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"a\":1},\"baseRevision\":-1}"),
            invalid),
        creating(
            "baseRevision a string",
            body(
                "d",
                "{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"a\":1},\"baseRevision\":\"3\"}"),
            invalid),
        creating("body an array", "[" + VALID_EDIT + "]", invalid),
        creating(
            "unknown member",
            "{\"description\":\"d\",\"edits\":[" + VALID_EDIT + "],\"priority\":1}",
            ProblemType.UNKNOWN_FIELD),
        creating(
            "mass assignment of state",
            "{\"description\":\"d\",\"edits\":[" + VALID_EDIT + "],\"state\":\"approved\"}",
            ProblemType.UNKNOWN_FIELD),
        creating(
            "mass assignment of author",
            "{\"description\":\"d\",\"edits\":["
                + VALID_EDIT
                + "],\"author\":\"admin:someone-else\"}",
            ProblemType.UNKNOWN_FIELD),
        creating(
            "mass assignment of approvals",
            "{\"description\":\"d\",\"edits\":["
                + VALID_EDIT
                + "],\"approvals\":[{\"approver\":\"admin:as-publisher\"}]}",
            ProblemType.UNKNOWN_FIELD),
        creating(
            "unknown member of an edit",
            body(
                "d",
                "{\"namespace\":\"core\",\"scope\":\"default\",\"content\":{\"a\":1},\"ring\":\"test\"}"),
            ProblemType.UNKNOWN_FIELD),
        creating(
            "namespace subscriptions",
            body("d", edit("subscriptions", "default", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "namespace uppercase",
            body("d", edit("Core", "default", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "namespace dot-dot",
            body("d", edit("..", "default", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "scope global",
            body("d", edit("core", "global", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "scope ring with an uppercase name",
            body("d", edit("core", "ring:Live", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "scope instance with a slash",
            body("d", edit("core", "instance:a/b", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "scope ring without a name",
            body("d", edit("core", "ring:", "{\"a\":1}")),
            ProblemType.INVALID_NAME),
        creating(
            "unknown namespace",
            body("d", edit("nowhere", "default", "{\"a\":1}")),
            ProblemType.NAMESPACE_NOT_FOUND),
        creating(
            "unknown ring next to a real edit",
            body("d", VALID_EDIT, edit("core", "ring:nosuchring", "{\"a\":1}")),
            ProblemType.RING_NOT_FOUND),
        creating(
            "no-op: the published content again",
            body("d", edit("core", "default", PUBLISHED)),
            ProblemType.NO_PENDING_CHANGES),
        creating(
            "no-op: the published content with members reordered",
            body("d", edit("core", "default", "{ \"maxUsers\" : 5 }")),
            ProblemType.NO_PENDING_CHANGES),
        creating(
            "no-op: removing a layer that does not exist",
            body("d", removal("core", "ring:beta")),
            ProblemType.NO_PENDING_CHANGES),
        creating(
            "malformed JSON", "{\"description\":\"d\",\"edits\":[", ProblemType.MALFORMED_JSON),
        creating(
            "duplicate member",
            "{\"description\":\"d\",\"description\":\"e\",\"edits\":[" + VALID_EDIT + "]}",
            ProblemType.DUPLICATE_KEY),
        of("dry run with a bad body", "POST", CHANGES + "?dryRun=true", body("d"), invalid));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badChanges")
  void badChange_getsItsProblemType_andChangesNothing(
      String name, String method, String path, String body, ProblemType expected) {
    HttpResponse<byte[]> response = server.sendJson(method, path, crew.editor(), body);

    assertProblem(response, expected);
    assertNothingChanged();
  }

  /**
   * An edit of a ring or instance that does not exist is a reference to a missing thing, as for
   * layers ({@code PUT .../layers/ring:nosuchring} is 404): the dry run must not decide first that
   * such an edit "changes nothing".
   */
  @Test
  void editOfAnUnknownRing_is404RingNotFound_notNoPendingChanges() {
    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                CHANGES,
                crew.editor(),
                body("d", edit("core", "ring:nosuchring", "{\"a\":1}"))),
            ProblemType.RING_NOT_FOUND);

    assertThat(problem.get("detail").asText()).contains("nosuchring");
    assertNothingChanged();
  }

  @Test
  void editOfAnUnknownInstance_is404InstanceNotFound_notNoPendingChanges() {
    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST",
                CHANGES,
                crew.editor(),
                body("d", edit("core", "instance:nobody", "{\"a\":1}"))),
            ProblemType.INSTANCE_NOT_FOUND);

    assertThat(problem.get("detail").asText()).contains("nobody");
    assertNothingChanged();
  }

  @Test
  void dryRunOfAnEditOfAnUnknownRing_is404RingNotFound_ratherThanAnEmptyReport() {
    assertProblem(
        server.sendJson(
            "POST",
            CHANGES + "?dryRun=true",
            crew.editor(),
            body("d", edit("core", "ring:nosuchring", "{\"a\":1}"))),
        ProblemType.RING_NOT_FOUND);

    assertNothingChanged();
  }

  /**
   * A client that believes it asked for a dry run must never store a change: as for other boolean
   * query parameters ({@code overAllocated=yes} is 400), anything but true or false is refused.
   */
  @ParameterizedTest(name = "[{index}] dryRun={0}")
  @CsvSource({"yes", "1", "TRUE", "on"})
  void dryRunParameterThatIsNeitherTrueNorFalse_is400_andStoresNothing(String value) {
    assertProblem(
        server.sendJson("POST", CHANGES + "?dryRun=" + value, crew.editor(), body("d", VALID_EDIT)),
        ProblemType.INVALID_REQUEST);

    assertNothingChanged();
  }

  @Test
  void dryRunFalse_createsTheChange() {
    HttpResponse<byte[]> response =
        server.sendJson("POST", CHANGES + "?dryRun=false", crew.editor(), body("d", VALID_EDIT));

    assertThat(response.statusCode()).as(HttpTestSupport.text(response)).isEqualTo(201);
    long id = HttpTestSupport.json(response).get("id").asLong();
    RolloutTestSupport.perform(
        server, crew.editor(), id, "cancel", RolloutTestSupport.reason("test over"));
  }

  @Test
  void oneHundredOneEdits_areRefused_namingTheLimit() {
    JsonNode problem =
        assertProblem(
            server.sendJson("POST", CHANGES, crew.editor(), body("d", edits(101))),
            ProblemType.INVALID_REQUEST);

    assertThat(problem.get("detail").asText()).contains("100");
    assertNothingChanged();
  }

  @Test
  void unknownNamespace_namesIt() {
    JsonNode problem =
        assertProblem(
            server.sendJson(
                "POST", CHANGES, crew.editor(), body("d", edit("nowhere", "default", "{\"a\":1}"))),
            ProblemType.NAMESPACE_NOT_FOUND);

    assertThat(problem.get("detail").asText()).contains("nowhere");
    assertNothingChanged();
  }

  static Stream<Arguments> badReferences() {
    String unknown = CHANGES + "/999999";
    String mine = CHANGES + "/%d";
    return Stream.of(
        of("get a non-numeric id", "GET", CHANGES + "/abc", null, ProblemType.CHANGE_NOT_FOUND),
        of("get id zero", "GET", CHANGES + "/0", null, ProblemType.CHANGE_NOT_FOUND),
        of("get a negative id", "GET", CHANGES + "/-1", null, ProblemType.CHANGE_NOT_FOUND),
        of(
            "get an id beyond a long",
            "GET",
            CHANGES + "/99999999999999999999",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of("get an unknown id", "GET", unknown, null, ProblemType.CHANGE_NOT_FOUND),
        of(
            "dry run of an unknown id",
            "GET",
            unknown + "/dry-run",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "dry run of a non-numeric id",
            "GET",
            CHANGES + "/abc/dry-run",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "approve a non-numeric id",
            "POST",
            CHANGES + "/abc/approve",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "approve an unknown id",
            "POST",
            unknown + "/approve",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "promote an unknown id",
            "POST",
            unknown + "/promote",
            null,
            ProblemType.CHANGE_NOT_FOUND),
        of("pause an unknown id", "POST", unknown + "/pause", null, ProblemType.CHANGE_NOT_FOUND),
        of("resume an unknown id", "POST", unknown + "/resume", null, ProblemType.CHANGE_NOT_FOUND),
        of(
            "back out an unknown id",
            "POST",
            unknown + "/backout",
            "{\"reason\":\"r\"}",
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "hot-fix an unknown id",
            "POST",
            unknown + "/hotfix",
            "{\"reason\":\"r\"}",
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "cancel an unknown id",
            "POST",
            unknown + "/cancel",
            "{\"reason\":\"r\"}",
            ProblemType.CHANGE_NOT_FOUND),
        of(
            "list an unknown state",
            "GET",
            CHANGES + "?state=merged",
            null,
            ProblemType.INVALID_REQUEST),
        of(
            "list one good and one unknown state",
            "GET",
            CHANGES + "?state=draft,merged",
            null,
            ProblemType.INVALID_REQUEST),
        of("list with limit zero", "GET", CHANGES + "?limit=0", null, ProblemType.INVALID_REQUEST),
        of("list with limit 501", "GET", CHANGES + "?limit=501", null, ProblemType.INVALID_REQUEST),
        of(
            "list with a limit that is no number",
            "GET",
            CHANGES + "?limit=lots",
            null,
            ProblemType.INVALID_REQUEST),
        of(
            "back out without a reason",
            "POST",
            mine + "/backout",
            null,
            ProblemType.INVALID_REQUEST),
        of(
            "back out with an empty body",
            "POST",
            mine + "/backout",
            "{}",
            ProblemType.INVALID_REQUEST),
        of(
            "back out with a blank reason",
            "POST",
            mine + "/backout",
            "{\"reason\":\" \"}",
            ProblemType.INVALID_REQUEST),
        of(
            "back out with a reason too long",
            "POST",
            mine + "/backout",
            "{\"reason\":\"" + "r".repeat(1001) + "\"}",
            ProblemType.INVALID_REQUEST),
        of("cancel without a reason", "POST", mine + "/cancel", null, ProblemType.INVALID_REQUEST),
        of("hot-fix without a reason", "POST", mine + "/hotfix", null, ProblemType.INVALID_REQUEST),
        of(
            "approve with an unknown member",
            "POST",
            mine + "/approve",
            "{\"verdict\":\"yes\"}",
            ProblemType.UNKNOWN_FIELD),
        of(
            "approve with a comment that is a number",
            "POST",
            mine + "/approve",
            "{\"comment\":5}",
            ProblemType.INVALID_REQUEST),
        of(
            "back out a draft",
            "POST",
            mine + "/backout",
            "{\"reason\":\"r\"}",
            ProblemType.CHANGE_CONFLICT),
        of(
            "hot-fix a draft",
            "POST",
            mine + "/hotfix",
            "{\"reason\":\"r\"}",
            ProblemType.CHANGE_CONFLICT),
        of("promote a draft", "POST", mine + "/promote", null, ProblemType.CHANGE_CONFLICT),
        of("pause a draft", "POST", mine + "/pause", null, ProblemType.CHANGE_CONFLICT));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badReferences")
  void badIdOrAction_getsItsProblemType_andChangesNothing(
      String name, String method, String path, String body, ProblemType expected) {
    String resolved = path.formatted(draft);
    HttpResponse<byte[]> response =
        body == null
            ? server.send(method, resolved, server.adminToken(), null)
            : server.sendJson(method, resolved, server.adminToken(), body);

    assertProblem(response, expected);
    assertNothingChanged();
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE | /v1/admin/changes             | GET, POST",
        "PUT    | /v1/admin/changes/%d          | GET",
        "DELETE | /v1/admin/changes/%d          | GET",
        "GET    | /v1/admin/changes/%d/approve  | POST",
        "GET    | /v1/admin/changes/%d/backout  | POST",
        "POST   | /v1/admin/changes/%d/dry-run  | GET",
        "POST   | /v1/admin/rollouts            | GET",
        "GET    | /v1/admin/rollouts/freeze     | PUT, DELETE",
        "GET    | /v1/admin/rings/dev           | PATCH",
      })
  void wrongMethod_is405WithAllow_andChangesNothing(String method, String path, String allow) {
    HttpResponse<byte[]> response =
        server.send(method, path.formatted(draft), server.adminToken(), null);

    assertProblem(response, ProblemType.METHOD_NOT_ALLOWED);
    assertThat(header(response, "Allow")).isEqualTo(allow);
    assertNothingChanged();
  }

  @Test
  void changeBodyAsTextPlain_is415_andChangesNothing() {
    HttpResponse<byte[]> response =
        server.send(
            "POST",
            CHANGES,
            crew.editor(),
            body("d", VALID_EDIT).getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "text/plain");

    assertProblem(response, ProblemType.UNSUPPORTED_MEDIA_TYPE);
    assertNothingChanged();
  }

  @Test
  void fingerprint_seesACreatedChange_andItsAuditRow() {
    // The oracle of "changes nothing": a change that is only stored (no revision) must show.
    long id = RolloutTestSupport.create(server, crew.editor(), VALID_EDIT).get("id").asLong();
    assertThat(fingerprint(server, "core")).isNotEqualTo(before);
    RolloutTestSupport.perform(
        server, crew.editor(), id, "cancel", RolloutTestSupport.reason("fingerprint check"));
  }

  @Test
  void theStandingDraft_isStillADraftWithoutApprovals() {
    JsonNode change = RolloutTestSupport.change(server, draft);
    assertThat(change.get("state").asText()).isEqualTo("draft");
    assertThat(change.get("approvals")).isEmpty();
    assertThat(change.get("releases")).isEmpty();
    assertThat(change.get("author").asText()).isEqualTo(RolloutTestSupport.Crew.EDITOR);
  }
}
