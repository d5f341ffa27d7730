package io.holdfast.it.seats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import io.holdfast.client.seats.Admission.Outcome;
import io.holdfast.client.seats.InMemorySeatStore;
import io.holdfast.client.seats.SeatsInUse;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.it.ReplicaPair;
import io.holdfast.server.subscription.SubscriptionRules;
import io.holdfast.testkit.Fault;
import io.holdfast.testkit.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seat checker against two real replicas: subscriptions created and changed through the admin
 * API reach the client as the signed {@code subscriptions} document, seats follow it, heartbeats
 * report them back, and an outage of both replicas never takes a seat or a quantity away.
 */
class SeatCheckerSystemTest {

  private static final String APPLICATION = "crm";
  private static final ConditionFactory EVENTUALLY =
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));

  @TempDir static Path dataDir;

  private static ReplicaPair pair;

  /** Starts at the real time: the replicas pick the subscription in force by their own clocks. */
  private final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  private final InMemorySeatStore seats = new InMemorySeatStore();
  private HoldfastClient client;
  private SubscriptionChecker checker;

  @BeforeAll
  static void replicas() {
    pair = ReplicaPair.start(dataDir);
    pair.createApplication(APPLICATION);
  }

  @AfterAll
  static void stop() {
    pair.close();
  }

  @AfterEach
  void heal() {
    pair.proxyA().clear();
    pair.proxyB().clear();
    if (client != null) {
      client.close();
    }
  }

  /** An instance with one subscription of {@code quantity} seats; returns the subscription's id. */
  private String subscribedInstance(String instance, long quantity) {
    return subscribedInstance(instance, quantity, 0);
  }

  private String subscribedInstance(String instance, long quantity, long overage) {
    String token = pair.createInstance(instance, "live");
    String id =
        pair.subscribe(
            instance,
            APPLICATION,
            quantity,
            overage,
            time.clock().instant().minus(Duration.ofDays(30)));
    client =
        pair.clientBuilder(instance, token, time)
            .namespaces(SubscriptionChecker.NAMESPACE)
            .heartbeatInterval(Duration.ofMillis(100))
            .seatsInUse(new SeatsInUse(seats))
            .build();
    client.start();
    checker =
        SubscriptionChecker.builder().client(client).seatStore(seats).clock(time.clock()).build();
    return id;
  }

  private Outcome admit(String user) {
    return checker.admit(APPLICATION, user).outcome();
  }

  @Test
  void seatsFollowTheVerifiedDocument_andHeartbeatsReportThemBack() {
    String subscription = subscribedInstance("seats-follow", 2);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("cid")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);

    pair.admin("PATCH", "/v1/admin/subscriptions/" + subscription, "{\"quantity\":1}");
    EVENTUALLY.until(() -> checker.usage(APPLICATION).quantity() == 1);
    assertThat(checker.usage(APPLICATION).overAllocated()).isTrue();
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("cid")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    EVENTUALLY.until(
        () -> {
          JsonNode row =
              pair.admin("GET", "/v1/admin/instances/seats-follow/subscriptions/usage", null)
                  .path("usage")
                  .path(0);
          return row.path("seatsInUse").asLong() == 2 && row.path("overAllocated").asBoolean();
        });

    pair.admin("PATCH", "/v1/admin/subscriptions/" + subscription, "{\"status\":\"suspended\"}");
    EVENTUALLY.until(() -> admit("ann") == Outcome.DENIED_NOT_SUBSCRIBED);
    assertThat(checker.admit(APPLICATION, "bob").reason()).contains("suspended");
    assertThat(seats.count(APPLICATION)).isEqualTo(2);
  }

  /**
   * The largest subscription the admin API accepts is one the SDK reads: quantity and overage at
   * the documented maximum arrive in the signed document, verified, in force and admitting, not
   * "unknown". (Before the maximum, Long.MAX_VALUE for both was accepted and served, and the SDK
   * found the application unreadable because quantity plus overage overflows.)
   */
  @Test
  void theMaximumQuantityAndOverage_areReadByTheSdk() {
    long max = SubscriptionRules.MAX_SEATS;
    subscribedInstance("seats-maximum", max, max);
    EVENTUALLY.until(() -> checker.usage(APPLICATION).known());

    assertThat(client.status(SubscriptionChecker.NAMESPACE).status()).isEqualTo(Status.FRESH);
    assertThat(checker.usage(APPLICATION).quantity()).isEqualTo(max);
    assertThat(checker.usage(APPLICATION).overage()).isEqualTo(max);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
  }

  @Test
  void anOutageOfBothReplicas_keepsHoldersAndTheQuantity_andExpiryRefusesOnlyNewcomers() {
    subscribedInstance("seats-outage", 1);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    pair.proxyA().fault(Fault.refuseConnections());
    pair.proxyB().fault(Fault.refuseConnections());
    EVENTUALLY.until(() -> client.status(SubscriptionChecker.NAMESPACE).status() == Status.STALE);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(admit("bob")).isEqualTo(Outcome.DENIED_LIMIT_REACHED);
    assertThat(checker.usage(APPLICATION).quantity()).isEqualTo(1);

    time.advance(Duration.ofHours(8));
    assertThat(client.status(SubscriptionChecker.NAMESPACE).status()).isEqualTo(Status.EXPIRED);
    assertThat(admit("ann")).isEqualTo(Outcome.ADMITTED);
    assertThat(checker.admit(APPLICATION, "bob").reason())
        .startsWith("licensing service unreachable");
    assertThat(admit("bob")).isEqualTo(Outcome.DENIED_UNVERIFIED);

    pair.proxyA().clear();
    pair.proxyB().clear();
    EVENTUALLY.until(() -> client.status(SubscriptionChecker.NAMESPACE).status() == Status.FRESH);
    checker.release(APPLICATION, "ann");
    assertThat(admit("bob")).isEqualTo(Outcome.ADMITTED);
  }
}
