package io.holdfast.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.holdfast.agent.metrics.AgentMetrics;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.seats.Admission;
import io.holdfast.client.seats.JdbcSeatStore;
import io.holdfast.client.seats.SeatStoreException;
import io.holdfast.client.seats.SubscriptionChecker;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/seats/{application}/admit} and {@code .../release}, body {@code {"user":"ann"}}:
 * the SDK's {@link SubscriptionChecker} decisions over the tenant's seat store, guarded by the
 * agent's token. The answer is the decision (200 whatever it is, with the outcome also in {@code
 * Holdfast-Seat-Outcome} and the {@code subscriptions} namespace's status headers), since a denial
 * is an answer, not an error; a seat store that cannot be reached is 503. A holder is admitted from
 * the store alone, so the config service being down never turns one away.
 */
final class SeatEndpoint implements Endpoint.Handler {

  static final String PREFIX = "/v1/seats/";
  static final String OUTCOME_HEADER = "Holdfast-Seat-Outcome";

  /** A seat request is one user id: far below this. */
  static final int MAX_BODY_BYTES = 4096;

  private static final System.Logger LOG = System.getLogger("io.holdfast.agent");
  private static final Pattern PATH = Pattern.compile("/v1/seats/([^/]*)/(admit|release)");
  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private final HoldfastConfig config;
  private final Supplier<SubscriptionChecker> checker;
  private final byte[] token;
  private final AgentMetrics metrics;
  private final StrictJson json = new StrictJson(MAX_BODY_BYTES, 4);

  /**
   * @param checker the checker once the seat store is open, {@code null} before
   * @param token the seat token's bytes
   */
  SeatEndpoint(
      HoldfastConfig config,
      Supplier<SubscriptionChecker> checker,
      byte[] token,
      AgentMetrics metrics) {
    this.config = config;
    this.checker = checker;
    this.token = token.clone();
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Exchanges.requireBearer(exchange, token);
    Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
    if (!path.matches()) {
      throw AgentProblem.of(
          ProblemType.ROUTE_NOT_FOUND,
          "seat paths are /v1/seats/{application}/admit and /v1/seats/{application}/release");
    }
    Exchanges.requireMethod(exchange, "POST");
    String application = path.group(1);
    if (!NAME.matcher(application).matches()) {
      throw AgentProblem.of(
          ProblemType.INVALID_NAME,
          "'" + Exchanges.printable(application) + "' is not an application name");
    }
    if (exchange.getRequestURI().getRawQuery() != null) {
      throw AgentProblem.of(ProblemType.INVALID_REQUEST, "seat requests take no query");
    }
    String user = user(Exchanges.readJsonObject(exchange, json));
    SubscriptionChecker seats = checker.get();
    if (seats == null) {
      throw AgentProblem.seatsStarting();
    }
    StatusHeaders.apply(
        exchange.getResponseHeaders(), config.snapshot(SubscriptionChecker.NAMESPACE));
    try {
      if ("admit".equals(path.group(2))) {
        Admission admission = seats.admit(application, user);
        metrics.seatDecided(admission.outcome());
        exchange.getResponseHeaders().set(OUTCOME_HEADER, admission.outcome().name());
        Exchanges.sendJson(exchange, 200, admissionBody(admission));
      } else {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("application", application);
        body.put("user", user);
        body.put("released", seats.release(application, user));
        Exchanges.sendJson(exchange, 200, CanonicalJson.toBytes(body));
      }
    } catch (SeatStoreException e) {
      LOG.log(Level.WARNING, "seat store: {0}", e.getMessage());
      throw AgentProblem.of(
          ProblemType.STORE_UNAVAILABLE, "the seat store could not be reached; retry shortly");
    }
  }

  /** The body's one member, {@code user}: 1 to 255 characters, none of them a control character. */
  private static String user(JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("user")) {
        throw AgentProblem.of(
            ProblemType.UNKNOWN_FIELD,
            "unknown member '" + Exchanges.printable(name) + "'; a seat request holds only 'user'");
      }
    }
    JsonNode user = body.get("user");
    if (user == null || !user.isTextual()) {
      throw AgentProblem.of(ProblemType.INVALID_REQUEST, "member 'user' must be a string");
    }
    String id = user.textValue();
    if (id.isBlank()
        || id.length() > JdbcSeatStore.MAX_NAME_LENGTH
        || id.chars().anyMatch(Character::isISOControl)
        || !id.equals(id.strip())) {
      throw AgentProblem.of(
          ProblemType.INVALID_NAME,
          "member 'user' must be 1 to "
              + JdbcSeatStore.MAX_NAME_LENGTH
              + " characters, without control characters or surrounding spaces");
    }
    return id;
  }

  private static byte[] admissionBody(Admission admission) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("application", admission.application());
    body.put("user", admission.user());
    body.put("outcome", admission.outcome().name());
    body.put("admitted", admission.admitted());
    body.put("reason", admission.reason());
    body.put("status", admission.freshness().status().name());
    body.put("revision", admission.revision());
    return CanonicalJson.toBytes(body);
  }
}
