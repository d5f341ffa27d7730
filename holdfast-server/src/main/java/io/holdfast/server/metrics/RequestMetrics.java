package io.holdfast.server.metrics;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Times every request by route template, method and status: {@code
 * holdfast_http_server_requests_seconds}, a histogram whose count per status gives the request
 * rates and the 304 ratio, and whose buckets give latency quantiles. The route is the matched
 * pattern ({@code /v1/instances/{id}/config/{ns}}), never the raw path, so ids cannot explode the
 * series count; an unmatched request is {@code unmatched}. Timers are cached per label set so the
 * request path does a map lookup, not a registration. Thread-safe.
 */
public final class RequestMetrics implements Filter {

  /** Fixed buckets: fast reads sit in the first few; watches wait up to their timeout. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)
  };

  private static final java.util.Set<String> METHODS =
      java.util.Set.of(
          "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private record Labels(String method, String route, int status) {}

  private final MeterRegistry registry;
  private final ConcurrentMap<Labels, Timer> timers = new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      String route = req.matchingPattern().filter(p -> !p.isEmpty()).orElse("unmatched");
      String method = req.prologue().method().text();
      // Clients choose the method token: anything unusual is one label value, not one each.
      Labels labels =
          new Labels(METHODS.contains(method) ? method : "OTHER", route, res.status().code());
      timers
          .computeIfAbsent(labels, this::timer)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private Timer timer(Labels labels) {
    return Timer.builder("holdfast.http.server.requests")
        .description("HTTP requests served, by route template, method and status")
        .tag("method", labels.method())
        .tag("route", labels.route())
        .tag("status", Integer.toString(labels.status()))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
