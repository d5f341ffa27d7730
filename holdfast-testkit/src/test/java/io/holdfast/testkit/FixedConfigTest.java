package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.InMemorySeatStore;
import io.holdfast.client.seats.SubscriptionChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedConfigTest {

  private final ManualTime time = new ManualTime();

  /**
   * What an application writes: it reads through the interface, so a test can hand it fixed
   * documents.
   */
  private static final class SessionPolicy {
    private final HoldfastConfig config;

    SessionPolicy(HoldfastConfig config) {
      this.config = config;
    }

    Duration timeout() {
      return Duration.ofMinutes(config.snapshot("core").getInt("sessionTimeoutMinutes", 30));
    }
  }

  private FixedConfig config() {
    return FixedConfig.builder()
        .namespace(
            "core",
            "{\"sessionTimeoutMinutes\": 12, \"support\": {\"email\": \"help@example.com\"}}")
        .namespace("features", "{\"checkout\": true}")
        .clock(time.clock())
        .build();
  }

  @Test
  void serves_theDocumentsGiven_freshAtRevisionOne_throughTheClientsReadApi() {
    FixedConfig config = config();

    assertThat(new SessionPolicy(config).timeout()).isEqualTo(Duration.ofMinutes(12));
    ConfigSnapshot core = config.snapshot("core");
    assertThat(core.revision()).isEqualTo(1);
    assertThat(core.status()).isEqualTo(Status.FRESH);
    assertThat(core.getString("support.email", "none")).isEqualTo("help@example.com");
    assertThat(config.snapshot("features").getBoolean("checkout", false)).isTrue();
    assertThat(config.statuses()).containsOnlyKeys("core", "features");
    assertThat(config.status("core").since()).isEqualTo(ManualTime.DEFAULT_START);
    assertThatThrownBy(() -> config.snapshot("billing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("billing");
  }

  @Test
  void publish_servesTheNextRevision_andTellsChangeListenersBeforeReturning() {
    FixedConfig config = config();
    List<String> heard = new ArrayList<>();
    config.addChangeListener(
        (previous, current) ->
            heard.add(
                previous.revision()
                    + "->"
                    + current.revision()
                    + ":"
                    + current.getInt("sessionTimeoutMinutes", -1)));

    config.publish("core", "{\"sessionTimeoutMinutes\": 5}");

    assertThat(heard).containsExactly("1->2:5");
    assertThat(new SessionPolicy(config).timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.snapshot("core").etag()).isNotEqualTo(config.snapshot("features").etag());
  }

  @Test
  void status_keepsTheDocument_tellsStatusListeners_andPublishMakesItFreshAgain() {
    FixedConfig config = config();
    List<String> heard = new ArrayList<>();
    config.addStatusListener(
        (namespace, previous, current) ->
            heard.add(
                namespace
                    + ":"
                    + previous.status()
                    + "->"
                    + current.status()
                    + " ("
                    + current.reason()
                    + ")"));

    time.advance(Duration.ofMinutes(1));
    config.status("core", Status.STALE, "replicas unreachable");
    config.status("core", Status.EXPIRED, "grace period over");

    Freshness expired = config.status("core");
    assertThat(expired.graceRemaining()).isZero();
    assertThat(expired.since()).isEqualTo(ManualTime.DEFAULT_START.plus(Duration.ofMinutes(1)));
    assertThat(new SessionPolicy(config).timeout())
        .as("the document is kept")
        .isEqualTo(Duration.ofMinutes(12));

    config.publish("core", "{\"sessionTimeoutMinutes\": 7}");
    assertThat(heard)
        .containsExactly(
            "core:FRESH->STALE (replicas unreachable)",
            "core:STALE->EXPIRED (grace period over)",
            "core:EXPIRED->FRESH (fixed document)");
    assertThatThrownBy(() -> config.status("core", Status.INITIALIZING, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void documentsGiven_areCopied_andMustBeJsonObjects() {
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("limit", 1);
    FixedConfig config = FixedConfig.builder().namespace("core", tree).build();
    tree.put("limit", 2);

    assertThat(config.snapshot("core").getInt("limit", -1)).isEqualTo(1);
    assertThatThrownBy(() -> FixedConfig.builder().namespace("core", "[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> FixedConfig.builder().namespace("core", "{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> FixedConfig.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSubscriptionsNamespace_feedsTheSeatChecker_likeTheClientsDoes() {
    FixedConfig config =
        FixedConfig.builder()
            .namespace(
                SubscriptionChecker.NAMESPACE,
                "{\"applications\": {\"crm\": [{\"id\": \"s-1\", \"quantity\": 1,"
                    + " \"overage\": 0, \"seatModel\": \"named\", \"status\": \"active\","
                    + " \"validFrom\": \"2025-01-01T00:00:00Z\", \"validUntil\": null, \"plan\": \"enterprise\"}]}}")
            .clock(time.clock())
            .build();
    SubscriptionChecker checker =
        SubscriptionChecker.builder()
            .client(config)
            .seatStore(new InMemorySeatStore())
            .clock(time.clock())
            .build();

    assertThat(checker.admit("crm", "ann").outcome()).isEqualTo(Admission.Outcome.ADMITTED);
    assertThat(checker.admit("crm", "bob").outcome())
        .isEqualTo(Admission.Outcome.DENIED_LIMIT_REACHED);
  }
}
