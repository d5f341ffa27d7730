package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.client.internal.TestDocuments;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {

  private static final String CONTENT =
      "{"
          + "\"name\":\"acme\",\"seats\":40,\"big\":1099511627776,\"huge\":92233720368547758070,"
          + "\"ratio\":0.75,\"enabled\":true,\"nothing\":null,"
          + "\"timeout\":\"PT30S\",\"delayMillis\":1500,\"badDuration\":\"soon\",\"fractionalMillis\":1.5,"
          + "\"support\":{\"email\":\"help@acme.example\",\"hours\":[9,17]},"
          + "\"a.b\":{\"c\":\"dotted\"},\"x/y\":{\"t~u\":\"escaped\"},"
          + "\"apps\":[{\"id\":\"crm\",\"seats\":25},{\"id\":\"erp\",\"seats\":5}]}";

  private final ConfigSnapshot snapshot =
      new ConfigSnapshot(
          "core",
          3,
          "\"etag\"",
          TestDocuments.json(CONTENT),
          new Freshness(
              Status.FRESH, Instant.EPOCH, "verified", Instant.EPOCH, Duration.ofHours(8)));

  @Test
  void typedGetters_readDottedPaths() {
    assertThat(snapshot.getString("name", "x")).isEqualTo("acme");
    assertThat(snapshot.getInt("seats", -1)).isEqualTo(40);
    assertThat(snapshot.getLong("big", -1)).isEqualTo(1_099_511_627_776L);
    assertThat(snapshot.getDouble("ratio", -1)).isEqualTo(0.75);
    assertThat(snapshot.getBoolean("enabled", false)).isTrue();
    assertThat(snapshot.getString("support.email", "x")).isEqualTo("help@acme.example");
  }

  @Test
  void jsonPointers_withEscapes_andArrayIndices() {
    assertThat(snapshot.getString("/a.b/c", "x")).isEqualTo("dotted");
    assertThat(snapshot.getString("/x~1y/t~0u", "x")).isEqualTo("escaped");
    assertThat(snapshot.getInt("apps.0.seats", -1)).isEqualTo(25);
    assertThat(snapshot.getString("/apps/1/id", "x")).isEqualTo("erp");
    assertThat(snapshot.getInt("support.hours.1", -1)).isEqualTo(17);
  }

  @Test
  void wrongTypes_returnTheDefault() {
    assertThat(snapshot.getInt("name", -1)).isEqualTo(-1);
    assertThat(snapshot.getString("seats", "dflt")).isEqualTo("dflt");
    assertThat(snapshot.getBoolean("name", true)).isTrue();
    assertThat(snapshot.getBoolean("seats", false)).isFalse();
    assertThat(snapshot.getLong("ratio", -1)).as("no silent truncation of 0.75").isEqualTo(-1);
    assertThat(snapshot.getInt("big", -1)).as("too big for an int").isEqualTo(-1);
    assertThat(snapshot.getLong("huge", -1)).as("too big for a long").isEqualTo(-1);
    assertThat(snapshot.getDouble("name", -2.5)).isEqualTo(-2.5);
    assertThat(snapshot.getString("support", "dflt")).isEqualTo("dflt");
    assertThat(snapshot.getInt("support.email", 7)).isEqualTo(7);
  }

  @Test
  void missingPaths_andNullValues_returnTheDefault() {
    assertThat(snapshot.getString("missing", "dflt")).isEqualTo("dflt");
    assertThat(snapshot.getInt("support.missing.deeper", 9)).isEqualTo(9);
    assertThat(snapshot.getString("nothing", "dflt")).isEqualTo("dflt");
    assertThat(snapshot.getInt("apps.7.seats", 3)).isEqualTo(3);
    assertThat(snapshot.getDuration("missing", Duration.ofSeconds(4)))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(snapshot.getNode("missing")).isEmpty();
    assertThat(snapshot.getNode("nothing")).isEmpty();
    assertThat(snapshot.has("nothing")).isFalse();
    assertThat(snapshot.has("missing")).isFalse();
    assertThat(snapshot.has("support.email")).isTrue();
  }

  @Test
  void getDuration_readsIsoDurationsAndMilliseconds() {
    Duration dflt = Duration.ofSeconds(4);

    assertThat(snapshot.getDuration("timeout", dflt)).isEqualTo(Duration.ofSeconds(30));
    assertThat(snapshot.getDuration("delayMillis", dflt)).isEqualTo(Duration.ofMillis(1500));
    assertThat(snapshot.getDuration("badDuration", dflt)).isEqualTo(dflt);
    assertThat(snapshot.getDuration("fractionalMillis", dflt)).isEqualTo(dflt);
    assertThat(snapshot.getDuration("enabled", dflt)).isEqualTo(dflt);
    assertThat(snapshot.getDuration("support", dflt)).isEqualTo(dflt);
  }

  @Test
  void getNode_returnsACopy_thatCannotChangeTheSnapshot() {
    JsonNode support = snapshot.getNode("support").orElseThrow();
    ((ObjectNode) support).put("email", "attacker@example.com");
    ((ObjectNode) support).remove("hours");

    assertThat(snapshot.getString("support.email", "x")).isEqualTo("help@acme.example");
    assertThat(snapshot.getInt("support.hours.0", -1)).isEqualTo(9);
  }

  @Test
  void content_returnsACopy_thatCannotChangeTheSnapshot() {
    ObjectNode content = (ObjectNode) snapshot.content();
    content.put("seats", 0);
    content.removeAll();

    assertThat(snapshot.getInt("seats", -1)).isEqualTo(40);
    assertThat(snapshot.content()).isEqualTo(TestDocuments.json(CONTENT));
  }

  @Test
  void metadata_isReported() {
    assertThat(snapshot.namespace()).isEqualTo("core");
    assertThat(snapshot.revision()).isEqualTo(3);
    assertThat(snapshot.etag()).isEqualTo("\"etag\"");
    assertThat(snapshot.status()).isEqualTo(Status.FRESH);
    assertThat(snapshot.toString()).isEqualTo("ConfigSnapshot[core r3 FRESH]");
  }
}
