package io.holdfast.agent.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.protocol.problem.ProblemType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /v1/watch?namespaces=core,features}: server-sent events, one {@code namespace} event
 * per namespace when the stream opens and then whenever a namespace's document or status changes,
 * its data the namespace's state as in {@code /v1/status} (the content itself is read with {@code
 * GET /v1/config/{namespace}}). A comment line every {@link #KEEP_ALIVE} keeps proxies and idle
 * timers from cutting a quiet stream. At most {@link #MAX_STREAMS} streams at once, so streams
 * cannot take every request permit; more get 503.
 */
final class WatchStreamEndpoint implements Endpoint.Handler {

  static final String PATH = "/v1/watch";
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  static final int MAX_STREAMS = 64;

  private static final Set<String> PARAMETERS = Set.of("namespaces");

  /**
   * What a subscriber last heard of a namespace: not the grace remaining, which changes by itself
   * and is no news.
   */
  private record Seen(String etag, String status, java.time.Instant since, String reason) {}

  private final HoldfastConfig config;
  private final List<String> namespaces;
  private final ChangeSignal changes;
  private final Semaphore streams = new Semaphore(MAX_STREAMS);

  WatchStreamEndpoint(HoldfastConfig config, ChangeSignal changes) {
    this.config = config;
    this.namespaces = List.copyOf(config.statuses().keySet());
    this.changes = changes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
      throw AgentProblem.of(ProblemType.ROUTE_NOT_FOUND, "no such resource; did you mean " + PATH);
    }
    Exchanges.requireMethod(exchange, "GET");
    List<String> watched =
        watched(QueryParameters.parse(exchange.getRequestURI().getRawQuery(), PARAMETERS));
    if (!streams.tryAcquire()) {
      throw AgentProblem.of(
          ProblemType.TOO_MANY_WATCHERS,
          MAX_STREAMS + " event streams are open; use the long poll (?wait=) or retry later");
    }
    try {
      stream(exchange, watched);
    } finally {
      streams.release();
    }
  }

  private List<String> watched(QueryParameters query) {
    String names = query.get("namespaces");
    if (names == null) {
      return namespaces;
    }
    List<String> watched = new ArrayList<>();
    for (String name : names.split(",", -1)) {
      if (!namespaces.contains(name)) {
        throw AgentProblem.of(
            ProblemType.NAMESPACE_NOT_FOUND,
            "namespace '"
                + Exchanges.printable(name)
                + "' is not served by this agent; served: "
                + namespaces);
      }
      if (!watched.contains(name)) {
        watched.add(name);
      }
    }
    return watched;
  }

  private void stream(HttpExchange exchange, List<String> watched) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", HoldfastHeaders.EVENT_STREAM_MEDIA_TYPE);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    Map<String, Seen> seen = new HashMap<>();
    long id = 0;
    while (!Thread.currentThread().isInterrupted()) {
      // Taken before the reads below: a change in between completes this very future.
      var next = changes.next();
      for (String namespace : watched) {
        ConfigSnapshot snapshot = config.snapshot(namespace);
        Freshness freshness = snapshot.freshness();
        Seen now =
            new Seen(
                snapshot.etag(), freshness.status().name(), freshness.since(), freshness.reason());
        if (!now.equals(seen.get(namespace))) {
          seen.put(namespace, now);
          out.write(event(++id, snapshot));
        }
      }
      out.flush();
      try {
        next.get(KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush(); // a client that went away fails this write, which ends the stream
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the agent is closing
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static byte[] event(long id, ConfigSnapshot snapshot) {
    Freshness freshness = snapshot.freshness();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("namespace", snapshot.namespace());
    data.put("revision", snapshot.revision());
    if (snapshot.etag() != null) {
      data.put("etag", snapshot.etag());
    }
    data.put("status", freshness.status().name());
    data.put("since", freshness.since().toString());
    data.put("reason", freshness.reason());
    data.put("graceRemainingSeconds", freshness.graceRemaining().toSeconds());
    // Canonical JSON is one line: an event's data must not hold a line break.
    String text =
        "event: namespace\nid: "
            + id
            + "\ndata: "
            + new String(CanonicalJson.toBytes(data), StandardCharsets.UTF_8)
            + "\n\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
