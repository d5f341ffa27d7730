package io.holdfast.agent.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;

/**
 * Every namespace's status in one JSON object: {@code GET /v1/status} on the API port, and {@code
 * GET /health} on the management port (with {@code "status":"UP"}: the agent is up whatever the
 * replicas do; a namespace's own state is in its entry, as the Spring starter's health details).
 */
final class StatusEndpoint implements Endpoint.Handler {

  private final HoldfastConfig config;
  private final boolean health;
  private final String path;

  /**
   * @param path the exact path served (the server's contexts match prefixes)
   */
  StatusEndpoint(HoldfastConfig config, boolean health, String path) {
    this.config = config;
    this.health = health;
    this.path = path;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getRawPath().equals(path)) {
      throw AgentProblem.of(ProblemType.ROUTE_NOT_FOUND, "no such resource; did you mean " + path);
    }
    Exchanges.requireMethod(exchange, "GET", "HEAD");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (health) {
      body.put("status", "UP");
    }
    ObjectNode namespaces = body.putObject("namespaces");
    for (String namespace : config.statuses().keySet()) {
      ConfigSnapshot snapshot = config.snapshot(namespace);
      Freshness freshness = snapshot.freshness();
      ObjectNode entry = namespaces.putObject(namespace);
      entry.put("status", freshness.status().name());
      entry.put("since", freshness.since().toString());
      entry.put("reason", freshness.reason());
      entry.put("graceRemainingSeconds", freshness.graceRemaining().toSeconds());
      entry.put("revision", snapshot.revision());
      if (snapshot.etag() != null) {
        entry.put("etag", snapshot.etag());
      }
    }
    Exchanges.sendJson(exchange, 200, CanonicalJson.toBytes(body));
  }
}
