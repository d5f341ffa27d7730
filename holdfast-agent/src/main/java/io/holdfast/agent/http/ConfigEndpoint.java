package io.holdfast.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.IfNoneMatch;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/config/{namespace}}: the namespace's verified content as the SDK holds it, with
 * its status in headers ({@link StatusHeaders}). Never fails because replicas are down: it answers
 * from the last-known-good copy with the status saying so; only a namespace with no copy at all
 * answers 503. {@code If-None-Match} answers 304; with {@code ?wait=<seconds>} (at most {@value
 * #MAX_WAIT_SECONDS}) a matching request is held until the document changes (200) or the time is up
 * (304): the watch. {@code ?path=a.b} (or a JSON Pointer) answers the one value at that path, for
 * programs without a JSON parser at hand.
 */
final class ConfigEndpoint implements Endpoint.Handler {

  static final String PREFIX = "/v1/config/";
  static final int MAX_WAIT_SECONDS = 300;

  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Set<String> PARAMETERS = Set.of("wait", "path");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HoldfastConfig config;
  private final Set<String> namespaces;
  private final DocumentBodies bodies = new DocumentBodies();
  private final ChangeSignal changes;

  ConfigEndpoint(HoldfastConfig config, ChangeSignal changes) {
    this.config = config;
    this.namespaces = Set.copyOf(config.statuses().keySet());
    this.changes = changes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Exchanges.requireMethod(exchange, "GET", "HEAD");
    String namespace = namespace(exchange.getRequestURI().getRawPath());
    QueryParameters query =
        QueryParameters.parse(exchange.getRequestURI().getRawQuery(), PARAMETERS);
    long waitNanos = waitNanos(query.get("wait"));
    String path = query.get("path");
    if (path != null && (path.isEmpty() || path.length() > 1024)) {
      throw AgentProblem.of(ProblemType.INVALID_REQUEST, "path must be 1 to 1024 characters");
    }
    IfNoneMatch ifNoneMatch = ifNoneMatch(exchange);

    ConfigSnapshot snapshot = config.snapshot(namespace);
    if (ifNoneMatch != null && waitNanos > 0) {
      snapshot = awaitChange(namespace, snapshot, ifNoneMatch, waitNanos);
    }
    StatusHeaders.apply(exchange.getResponseHeaders(), snapshot);
    if (snapshot.status() == Status.INITIALIZING) {
      throw AgentProblem.noDocument(
          "namespace '"
              + namespace
              + "' has no verified document yet ("
              + snapshot.freshness().reason()
              + ")");
    }
    if (ifNoneMatch != null && matches(ifNoneMatch, snapshot)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    byte[] body = path == null ? bodies.of(snapshot) : value(snapshot, path);
    Exchanges.sendJson(exchange, 200, body);
  }

  private String namespace(String rawPath) {
    String name = rawPath.substring(PREFIX.length());
    if (!NAME.matcher(name).matches()) {
      throw AgentProblem.of(
          ProblemType.INVALID_NAME,
          "'"
              + Exchanges.printable(name)
              + "' is not a namespace name (lower-case letters, digits and dashes)");
    }
    if (!namespaces.contains(name)) {
      throw AgentProblem.of(
          ProblemType.NAMESPACE_NOT_FOUND,
          "namespace '" + name + "' is not served by this agent; served: " + namespaces);
    }
    return name;
  }

  private static long waitNanos(String text) {
    if (text == null) {
      return 0;
    }
    try {
      int seconds = Integer.parseInt(text);
      if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
        return TimeUnit.SECONDS.toNanos(seconds);
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw AgentProblem.of(
        ProblemType.INVALID_REQUEST,
        "wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
  }

  private static IfNoneMatch ifNoneMatch(HttpExchange exchange) {
    List<String> values = exchange.getRequestHeaders().get("If-None-Match");
    if (values == null || values.isEmpty()) {
      return null;
    }
    try {
      return IfNoneMatch.parse(values);
    } catch (IllegalArgumentException e) {
      throw AgentProblem.of(ProblemType.INVALID_PRECONDITION, "If-None-Match: " + e.getMessage());
    }
  }

  private static boolean matches(IfNoneMatch ifNoneMatch, ConfigSnapshot snapshot) {
    return snapshot.etag() != null && ifNoneMatch.matches(EntityTag.parse(snapshot.etag()));
  }

  /** Holds the request until the document no longer matches, or the wait is over. */
  private ConfigSnapshot awaitChange(
      String namespace, ConfigSnapshot snapshot, IfNoneMatch ifNoneMatch, long waitNanos) {
    long deadline = System.nanoTime() + waitNanos;
    ConfigSnapshot current = snapshot;
    while (current.status() == Status.INITIALIZING || matches(ifNoneMatch, current)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return current;
      }
      // Taken before the read below: a change in between completes this very future.
      var next = changes.next();
      current = config.snapshot(namespace);
      if (current.status() != Status.INITIALIZING && !matches(ifNoneMatch, current)) {
        return current;
      }
      try {
        next.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return config.snapshot(namespace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return config.snapshot(namespace);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
      current = config.snapshot(namespace);
    }
    return current;
  }

  private static byte[] value(ConfigSnapshot snapshot, String path) {
    Optional<JsonNode> node = snapshot.getNode(path);
    if (node.isEmpty()) {
      throw AgentProblem.noValue(
          "revision "
              + snapshot.revision()
              + " of '"
              + snapshot.namespace()
              + "' has no value at '"
              + Exchanges.printable(path)
              + "'");
    }
    try {
      return JSON.writeValueAsBytes(node.get());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
