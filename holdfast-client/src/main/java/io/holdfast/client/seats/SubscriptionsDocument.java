package io.holdfast.client.seats;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed content of the {@code subscriptions} namespace:
 *
 * <pre>{"applications": {"crm": [{"id": "s-1", "quantity": 25, "overage": 0, "seatModel": "named",
 *   "status": "active", "validFrom": "2026-01-01T00:00:00Z", "validUntil": null, "plan": "enterprise"}]}}
 * </pre>
 *
 * <p>Parsing is strict and per application: an entry that is not exactly as above (a missing or
 * mistyped member, a negative or fractional quantity, an unknown status or seat model, an
 * unparseable instant, an empty period, a duplicate id, two non-cancelled periods that overlap)
 * makes its application {@link Entitlement.Kind#UNKNOWN unknown}, never zero, and leaves the others
 * readable. A content without an {@code applications} object makes every application unknown.
 * Members the SDK does not know are ignored, so the server can add some.
 *
 * <p>Immutable, thread-safe.
 */
final class SubscriptionsDocument {

  private final String problem;

  /** Whether {@link #problem} is the content's fault (logged), not the namespace's status. */
  private final boolean contentProblem;

  private final Map<String, Listing> applications;

  /** One application's subscriptions, or why they cannot be read. */
  private record Listing(List<Subscription> subscriptions, String problem) {}

  private SubscriptionsDocument(
      String problem, boolean contentProblem, Map<String, Listing> applications) {
    this.problem = problem;
    this.contentProblem = contentProblem;
    this.applications = applications;
  }

  /**
   * No document to read (none yet, or none served once expired): every application is unknown, for
   * the reason given. Not a problem of any content, so not among {@link #problems()}.
   */
  static SubscriptionsDocument unknown(String reason) {
    return new SubscriptionsDocument(reason, false, Map.of());
  }

  static SubscriptionsDocument parse(JsonNode content) {
    JsonNode applications = content == null ? null : content.get("applications");
    if (applications == null || !applications.isObject()) {
      return new SubscriptionsDocument(
          "the subscriptions document has no 'applications' object", true, Map.of());
    }
    Map<String, Listing> listings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : applications.properties()) {
      listings.put(field.getKey(), listing(field.getKey(), field.getValue()));
    }
    return new SubscriptionsDocument(null, false, Collections.unmodifiableMap(listings));
  }

  /** The applications the document names, readable or not; empty if it is unknown. */
  Set<String> applications() {
    return applications.keySet();
  }

  /** Why the content or some of its applications cannot be read; empty if all can. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (contentProblem) {
      problems.add(problem);
    }
    applications.values().stream()
        .filter(l -> l.problem() != null)
        .forEach(l -> problems.add(l.problem()));
    return problems;
  }

  /**
   * What the document says about the application at {@code now}, with {@code skew} of tolerance at
   * both ends of every period (in the customer's favour: a contract starts {@code skew} early and
   * ends {@code skew} late).
   */
  Entitlement entitlement(String application, Instant now, Duration skew) {
    if (problem != null) {
      return Entitlement.unknown(problem);
    }
    Listing listing = applications.get(application);
    if (listing == null) {
      return Entitlement.none("'" + application + "' is not in the subscriptions document");
    }
    if (listing.problem() != null) {
      return Entitlement.unknown(listing.problem());
    }
    Subscription chosen = chosen(listing, now, skew);
    if (chosen == null) {
      return Entitlement.none(notInForce(application, listing.subscriptions(), now, skew));
    }
    String name = "subscription " + chosen.id() + " for '" + application + "'";
    if (chosen.status() != SubscriptionStatus.ACTIVE) {
      return new Entitlement(
          Entitlement.Kind.STOPPED, chosen, name + " is " + chosen.status().wireName());
    }
    return new Entitlement(
        Entitlement.Kind.IN_FORCE,
        chosen,
        name
            + " (plan "
            + chosen.plan()
            + "): "
            + chosen.quantity()
            + " seats + "
            + chosen.overage()
            + " overage");
  }

  /**
   * The subscription that rules the application at {@code now} (active, suspended or cancelled), or
   * {@code null} if none does or nothing can be read. Allocates nothing: the path that admits
   * someone who holds a seat asks only this.
   */
  Subscription ruling(String application, Instant now, Duration skew) {
    Listing listing = problem == null ? applications.get(application) : null;
    return listing == null || listing.problem() != null ? null : chosen(listing, now, skew);
  }

  private static Subscription chosen(Listing listing, Instant now, Duration skew) {
    Subscription chosen = null;
    for (Subscription s : listing.subscriptions()) {
      if (s.covers(now, skew) && better(s, chosen, now)) {
        chosen = s;
      }
    }
    return chosen;
  }

  /**
   * Among subscriptions covering now (within the skew), a non-cancelled one beats a cancelled one
   * (a cancelled renewal does not cut short the period before it), and one whose exact period
   * contains now beats one covering it only by the skew tolerance (at a boundary the next period
   * rules once it has begun).
   */
  private static boolean better(Subscription candidate, Subscription current, Instant now) {
    if (current == null) {
      return true;
    }
    boolean candidateCancelled = candidate.status() == SubscriptionStatus.CANCELLED;
    boolean currentCancelled = current.status() == SubscriptionStatus.CANCELLED;
    if (candidateCancelled != currentCancelled) {
      return !candidateCancelled;
    }
    return candidate.covers(now, Duration.ZERO) && !current.covers(now, Duration.ZERO);
  }

  private static String notInForce(
      String application, List<Subscription> subscriptions, Instant now, Duration skew) {
    Subscription next = null;
    Subscription last = null;
    for (Subscription s : subscriptions) {
      if (s.validFrom().minus(skew).isAfter(now)) {
        if (next == null || s.validFrom().isBefore(next.validFrom())) {
          next = s;
        }
      } else if (s.validUntil() != null
          && (last == null || s.validUntil().isAfter(last.validUntil()))) {
        last = s;
      }
    }
    String none = "no subscription for '" + application + "' is in force";
    if (next != null) {
      return none + "; " + next.id() + " starts at " + next.validFrom();
    }
    if (last != null) {
      return none + "; " + last.id() + " ended at " + last.validUntil();
    }
    return none;
  }

  private static Listing listing(String application, JsonNode entries) {
    String prefix = "subscriptions for '" + application + "' cannot be read: ";
    if (!entries.isArray()) {
      return new Listing(List.of(), prefix + "not an array");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Subscription subscription;
      try {
        subscription = subscription(entries.get(i));
      } catch (IllegalArgumentException e) {
        return new Listing(List.of(), prefix + "entry " + i + ": " + e.getMessage());
      }
      if (!ids.add(subscription.id())) {
        return new Listing(List.of(), prefix + "id " + subscription.id() + " appears twice");
      }
      for (Subscription other : subscriptions) {
        if (overlap(subscription, other)) {
          return new Listing(
              List.of(), prefix + other.id() + " and " + subscription.id() + " overlap");
        }
      }
      subscriptions.add(subscription);
    }
    return new Listing(List.copyOf(subscriptions), null);
  }

  /** Two non-cancelled periods may not overlap: which would be in force? */
  private static boolean overlap(Subscription a, Subscription b) {
    if (a.status() == SubscriptionStatus.CANCELLED || b.status() == SubscriptionStatus.CANCELLED) {
      return false;
    }
    boolean aStartsBeforeBEnds = b.validUntil() == null || a.validFrom().isBefore(b.validUntil());
    boolean bStartsBeforeAEnds = a.validUntil() == null || b.validFrom().isBefore(a.validUntil());
    return aStartsBeforeBEnds && bStartsBeforeAEnds;
  }

  private static Subscription subscription(JsonNode entry) {
    if (entry == null || !entry.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    String id = text(entry, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id is empty");
    }
    String seatModel = text(entry, "seatModel");
    if (!seatModel.equals("named")) {
      throw new IllegalArgumentException(
          id + ": seat model '" + seatModel + "' is not supported (only 'named')");
    }
    String statusName = text(entry, "status");
    SubscriptionStatus status = SubscriptionStatus.fromWireName(statusName);
    if (status == null) {
      throw new IllegalArgumentException(id + ": unknown status '" + statusName + "'");
    }
    JsonNode until = entry.get("validUntil");
    if (until == null) {
      throw new IllegalArgumentException(id + ": validUntil is missing (null means open-ended)");
    }
    return new Subscription(
        id,
        count(entry, "quantity", id),
        count(entry, "overage", id),
        seatModel,
        status,
        instant(entry.get("validFrom"), "validFrom", id),
        until.isNull() ? null : instant(until, "validUntil", id),
        text(entry, "plan"));
  }

  private static String text(JsonNode entry, String member) {
    JsonNode node = entry.get(member);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(member + " is missing or not a string");
    }
    return node.textValue();
  }

  private static long count(JsonNode entry, String member, String id) {
    JsonNode node = entry.get(member);
    if (node == null
        || !node.isIntegralNumber()
        || !node.canConvertToLong()
        || node.longValue() < 0) {
      throw new IllegalArgumentException(
          id + ": " + member + " is missing or not a non-negative integer: " + node);
    }
    return node.longValue();
  }

  private static Instant instant(JsonNode node, String member, String id) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(id + ": " + member + " is missing or not a string");
    }
    try {
      return Instant.parse(node.textValue());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          id + ": " + member + " is not an instant: '" + node.textValue() + "'");
    }
  }
}
