package io.holdfast.client.seats;

import static io.holdfast.client.seats.SubscriptionSnapshots.FROM;
import static io.holdfast.client.seats.SubscriptionSnapshots.UNTIL;
import static io.holdfast.client.seats.SubscriptionSnapshots.active;
import static io.holdfast.client.seats.SubscriptionSnapshots.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.client.internal.TestDocuments;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict parsing: anything not exactly as the contract says makes its application unknown, never
 * zero.
 */
class SubscriptionsDocumentTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final String GOOD = active("s-9", 4, 0);

  private static SubscriptionsDocument parse(String json) {
    return SubscriptionsDocument.parse(TestDocuments.json(json));
  }

  private static String withCrm(String crmEntries) {
    return "{\"applications\":{\"crm\":" + crmEntries + ",\"erp\":[" + GOOD + "]}}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"s-1\",\"quantity\":-1,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":2.5,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":\"25\",\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":99999999999999999999,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":9223372036854775807,\"overage\":1,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"concurrent\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"paused\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"ACTIVE\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2025-01-01T00:00:00Z\",\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2026-01-01T00:00:00Z\",\"plan\":\"p\"}",
        "{\"id\":\"s-1\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null}",
        "{\"id\":\"\",\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "{\"quantity\":25,\"overage\":0,\"seatModel\":\"named\",\"status\":\"active\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":null,\"plan\":\"p\"}",
        "[25]",
        "null"
      })
  void anUnreadableEntry_makesItsApplicationUnknown_andLeavesTheOthers(String badEntry) {
    SubscriptionsDocument document =
        parse(withCrm("[" + GOOD.replace("s-9", "s-0") + "," + badEntry + "]"));
    Entitlement crm = document.entitlement("crm", NOW, SKEW);
    assertThat(crm.kind()).isEqualTo(Entitlement.Kind.UNKNOWN);
    assertThat(crm.reason()).startsWith("subscriptions for 'crm' cannot be read: entry 1");
    assertThat(document.entitlement("erp", NOW, SKEW).kind()).isEqualTo(Entitlement.Kind.IN_FORCE);
    assertThat(document.problems()).hasSize(1);
  }

  @Test
  void anApplicationThatIsNotAnArray_isUnknown() {
    assertThat(parse(withCrm("{}")).entitlement("crm", NOW, SKEW).reason())
        .endsWith("not an array");
  }

  @Test
  void aDuplicateId_isUnknown() {
    Entitlement crm = parse(withCrm("[" + GOOD + "," + GOOD + "]")).entitlement("crm", NOW, SKEW);
    assertThat(crm.kind()).isEqualTo(Entitlement.Kind.UNKNOWN);
    assertThat(crm.reason()).contains("s-9 appears twice");
  }

  @Test
  void overlappingActivePeriods_areUnknown_butACancelledOneMayOverlap() {
    String overlapping =
        "["
            + active("s-1", 1, 0)
            + ","
            + entry("s-2", 2, 0, "suspended", FROM.plusSeconds(60), null)
            + "]";
    Entitlement crm = parse(withCrm(overlapping)).entitlement("crm", NOW, SKEW);
    assertThat(crm.kind()).isEqualTo(Entitlement.Kind.UNKNOWN);
    assertThat(crm.reason()).contains("s-1 and s-2 overlap");
    String cancelledOverlap =
        "[" + active("s-1", 1, 0) + "," + entry("s-2", 2, 0, "cancelled", FROM, UNTIL) + "]";
    assertThat(parse(withCrm(cancelledOverlap)).entitlement("crm", NOW, SKEW).subscription().id())
        .isEqualTo("s-1");
  }

  @Test
  void adjacentPeriods_doNotOverlap() {
    String adjacent =
        "["
            + entry("s-1", 1, 0, "active", FROM, NOW)
            + ","
            + entry("s-2", 2, 0, "active", NOW, null)
            + "]";
    assertThat(parse(withCrm(adjacent)).entitlement("crm", NOW, SKEW).subscription().id())
        .isEqualTo("s-2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{}", "{\"applications\":[]}", "{\"applications\":null}", "[]", "{\"apps\":{}}"})
  void aDocumentWithoutAnApplicationsObject_makesEveryApplicationUnknown(String json) {
    SubscriptionsDocument document = parse(json);
    assertThat(document.entitlement("crm", NOW, SKEW).kind()).isEqualTo(Entitlement.Kind.UNKNOWN);
    assertThat(document.applications()).isEmpty();
    assertThat(document.problems())
        .containsExactly("the subscriptions document has no 'applications' object");
  }

  @Test
  void noDocumentAtAll_isUnknown_butNotAProblemOfAnyContent() {
    SubscriptionsDocument none = SubscriptionsDocument.unknown("no subscriptions document yet");
    assertThat(none.entitlement("crm", NOW, SKEW))
        .isEqualTo(Entitlement.unknown("no subscriptions document yet"));
    assertThat(none.problems()).isEmpty();
  }

  @Test
  void unknownMembers_areIgnored_soTheServerCanAddSome() {
    String extended =
        "{\"applications\":{\"crm\":["
            + GOOD.replace("\"plan\"", "\"notes\":\"x\",\"plan\"")
            + "]},\"v\":2}";
    assertThat(parse(extended).entitlement("crm", NOW, SKEW).kind())
        .isEqualTo(Entitlement.Kind.IN_FORCE);
  }

  @Test
  void instantsWithFractionsOfASecond_areRead() {
    String entry = GOOD.replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z");
    assertThat(
            parse(withCrm("[" + entry + "]"))
                .entitlement("crm", NOW, SKEW)
                .subscription()
                .validFrom())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.5Z"));
  }
}
