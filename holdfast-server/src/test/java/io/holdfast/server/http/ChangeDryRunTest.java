package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.json;
import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.RolloutTestSupport.CHANGES;
import static io.holdfast.server.http.RolloutTestSupport.body;
import static io.holdfast.server.http.RolloutTestSupport.create;
import static io.holdfast.server.http.RolloutTestSupport.edit;
import static io.holdfast.server.http.RolloutTestSupport.fingerprint;
import static io.holdfast.server.http.RolloutTestSupport.removal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a change would do, before anyone approves it: for every edited namespace, each ring's
 * effective document (and each edited instance's) before and after, with the diff. Asked with
 * {@code POST ?dryRun=true} it stores nothing; asked of a stored change it is for viewers too.
 */
class ChangeDryRunTest {

  private static final String DEFAULT = "{\"maxUsers\":5,\"theme\":\"light\"}";

  @TempDir static Path dataDir;

  private static ServerFixture server;
  private static RolloutTestSupport.Crew crew;

  @BeforeAll
  static void start() {
    server = RolloutTestSupport.start(dataDir, 1);
    crew = RolloutTestSupport.Crew.create(server);
    server.createNamespace("core");
    server.createNamespace("other");
    server.createInstance("acme", "live");
    server.publishLayer("core", "default", DEFAULT);
    server.publishLayer("core", "ring:live", "{\"theme\":\"dark\"}");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode dryRun(String... edits) {
    HttpResponse<byte[]> response =
        server.sendJson("POST", CHANGES + "?dryRun=true", crew.editor(), body("what if", edits));
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    return json(response);
  }

  private static JsonNode preview(JsonNode report, String target) {
    for (JsonNode preview : report.get("previews")) {
      if (preview.get("target").asText().equals(target)) {
        return preview;
      }
    }
    throw new AssertionError("no preview of " + target + " in " + report);
  }

  @Test
  void ringScopedEdit_diffsOnlyThatRing_andStoresNothing() {
    String before = fingerprint(server, "core");

    JsonNode report = dryRun(edit("core", "ring:beta", "{\"maxUsers\":50}"));

    assertThat(report.get("changesAnything").asBoolean()).isTrue();
    assertThat(report.get("violations")).isEmpty();
    assertThat(report.get("previews"))
        .extracting(p -> p.get("target").asText())
        .containsExactly("ring:test", "ring:dev", "ring:beta", "ring:live");
    assertThat(report.get("previews"))
        .extracting(p -> p.get("namespace").asText())
        .containsOnly("core");
    JsonNode beta = preview(report, "ring:beta");
    assertThat(beta.get("before")).isEqualTo(json(DEFAULT));
    assertThat(beta.get("after")).isEqualTo(json("{\"maxUsers\":50,\"theme\":\"light\"}"));
    assertThat(beta.get("diff"))
        .isEqualTo(json("[{\"op\":\"replace\",\"path\":\"/maxUsers\",\"before\":5,\"after\":50}]"));
    for (String other : new String[] {"ring:test", "ring:dev", "ring:live"}) {
      JsonNode unchanged = preview(report, other);
      assertThat(unchanged.get("diff")).as(other).isEmpty();
      assertThat(unchanged.get("after")).as(other).isEqualTo(unchanged.get("before"));
    }
    assertThat(preview(report, "ring:live").get("after"))
        .isEqualTo(json("{\"maxUsers\":5,\"theme\":\"dark\"}"));
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void defaultEdit_diffsEveryRing_exceptWhereARingLayerOverridesIt() {
    JsonNode report = dryRun(edit("core", "default", "{\"maxUsers\":5,\"theme\":\"blue\"}"));

    for (String ring : new String[] {"ring:test", "ring:dev", "ring:beta"}) {
      assertThat(preview(report, ring).get("diff"))
          .as(ring)
          .isEqualTo(
              json(
                  "[{\"op\":\"replace\",\"path\":\"/theme\",\"before\":\"light\",\"after\":\"blue\"}]"));
    }
    assertThat(preview(report, "ring:live").get("diff"))
        .as("ring:live sets its own theme")
        .isEmpty();
  }

  @Test
  void instanceEdit_previewsThatInstance_andAddAndRemoveShowAsSuch() {
    JsonNode report =
        dryRun(edit("core", "instance:acme", "{\"maxUsers\":null,\"region\":\"eu\"}"));

    JsonNode acme = preview(report, "instance:acme");
    assertThat(acme.get("before")).isEqualTo(json("{\"maxUsers\":5,\"theme\":\"dark\"}"));
    assertThat(acme.get("after")).isEqualTo(json("{\"region\":\"eu\",\"theme\":\"dark\"}"));
    assertThat(acme.get("diff"))
        .containsExactlyInAnyOrder(
            json("{\"op\":\"remove\",\"path\":\"/maxUsers\",\"before\":5}"),
            json("{\"op\":\"add\",\"path\":\"/region\",\"after\":\"eu\"}"));
    for (String ring : new String[] {"ring:test", "ring:dev", "ring:beta", "ring:live"}) {
      assertThat(preview(report, ring).get("diff")).as(ring).isEmpty();
    }
  }

  @Test
  void removalOfARingLayer_showsTheRingFallingBackToDefault() {
    JsonNode report = dryRun(removal("core", "ring:live"));

    assertThat(preview(report, "ring:live").get("after")).isEqualTo(json(DEFAULT));
    assertThat(preview(report, "ring:live").get("diff")).hasSize(1);
  }

  @Test
  void editsOfTwoNamespaces_arePreviewedPerNamespace() {
    JsonNode report =
        dryRun(
            edit("core", "ring:dev", "{\"maxUsers\":6}"),
            edit("other", "default", "{\"on\":true}"));

    assertThat(report.get("previews"))
        .extracting(p -> p.get("namespace").asText() + " " + p.get("target").asText())
        .containsExactly(
            "core ring:test",
            "core ring:dev",
            "core ring:beta",
            "core ring:live",
            "other ring:test",
            "other ring:dev",
            "other ring:beta",
            "other ring:live");
    assertThat(report.get("previews").get(4).get("before")).isEqualTo(json("{}"));
    assertThat(report.get("previews").get(4).get("after")).isEqualTo(json("{\"on\":true}"));
  }

  @Test
  void noOpEdit_isReportedAsChangingNothing_ratherThanRefused() {
    String before = fingerprint(server, "core");

    JsonNode report = dryRun(edit("core", "default", DEFAULT));

    assertThat(report.get("changesAnything").asBoolean()).isFalse();
    assertThat(report.get("previews")).allSatisfy(p -> assertThat(p.get("diff")).isEmpty());
    assertThat(fingerprint(server, "core")).isEqualTo(before);
  }

  @Test
  void dryRunOfAStoredChange_isTheSameReport_andViewersMayAskForIt() {
    String ringEdit = edit("core", "ring:beta", "{\"maxUsers\":50}");
    long id = create(server, crew.editor(), ringEdit).get("id").asLong();

    HttpResponse<byte[]> response = server.get(CHANGES + "/" + id + "/dry-run", crew.viewer());

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(json(response)).isEqualTo(dryRun(ringEdit));
  }
}
