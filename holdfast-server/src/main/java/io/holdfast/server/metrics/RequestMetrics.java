package io.holdfast.server.metrics;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Times every request by route template, method and status: {@code
 * holdfast_http_server_requests_seconds}, a histogram whose count per status gives the request
 * rates and the 304 ratio, and whose buckets give latency quantiles. The route is the matched
 * pattern ({@code /v1/instances/{id}/config/{ns}}), never the raw path, so ids cannot explode the
 * series count; an unmatched request is {@code unmatched}. Thread-safe.
 *
 * <p>Why not a Micrometer timer: one cost the read path two map lookups with a key object made per
 * request, and then a count, a sum, a three-slot time-window maximum (a clock read and three
 * compare-and-set loops) and a bucket search, about a tenth of a 304's CPU (issue 21). Here a
 * request costs one lookup of the route (its pattern string, hashed once), two array reads, and two
 * {@link LongAdder} increments: its bucket and the sum. Count and cumulative buckets are added up
 * when Prometheus scrapes, which it does every few seconds, not per request. No maximum is kept:
 * the buckets already bound it.
 */
public final class RequestMetrics implements Filter, Collector {

  static final String NAME = "holdfast_http_server_requests_seconds";

  /**
   * Upper bounds in nanoseconds: fast reads sit in the first few; watches wait to their timeout.
   */
  private static final long[] BOUNDS_NANOS = {
    ms(1),
    ms(2),
    ms(5),
    ms(10),
    ms(25),
    ms(50),
    ms(100),
    ms(250),
    ms(500),
    ms(1000),
    ms(2500),
    ms(5000),
    ms(10_000),
    ms(30_000),
    ms(60_000)
  };

  private static final double[] BOUNDS_SECONDS = boundsInSeconds();

  /** Method label values; a client chooses the token, so anything else is one value, OTHER. */
  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "OTHER"
  };

  private static final int OTHER_METHOD = METHODS.length - 1;

  /** Status codes 100 to 599 have a slot each; anything else (never sent) shares slot 0. */
  private static final int STATUS_SLOTS = 600;

  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      record(
          req.matchingPattern(),
          req.prologue().method().text(),
          res.status().code(),
          System.nanoTime() - start);
    }
  }

  /** Counts one request; {@code pattern} empty or blank for one no route matched. */
  void record(Optional<String> pattern, String method, int status, long nanos) {
    String route = pattern.isPresent() && !pattern.get().isEmpty() ? pattern.get() : "unmatched";
    Route r = routes.get(route);
    if (r == null) {
      r = routes.computeIfAbsent(route, k -> new Route());
    }
    r.series(methodIndex(method), status).record(nanos);
  }

  private static int methodIndex(String method) {
    return switch (method) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "PATCH" -> 4;
      case "DELETE" -> 5;
      case "OPTIONS" -> 6;
      case "TRACE" -> 7;
      case "CONNECT" -> 8;
      default -> OTHER_METHOD;
    };
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder histogram =
        HistogramSnapshot.builder()
            .name(NAME)
            .unit(Unit.SECONDS)
            .help("HTTP requests served, by route template, method and status");
    routes.forEach(
        (route, r) -> {
          for (int m = 0; m < METHODS.length; m++) {
            AtomicReferenceArray<Series> byStatus = r.byMethod.get(m);
            if (byStatus == null) {
              continue;
            }
            for (int status = 0; status < STATUS_SLOTS; status++) {
              Series s = byStatus.get(status);
              if (s != null) {
                histogram.dataPoint(
                    s.snapshot(
                        Labels.of("method", METHODS[m], "route", route, "status", s.statusLabel)));
              }
            }
          }
        });
    return histogram.build();
  }

  /** One route template's series, made as each method and status first occurs. */
  private static final class Route {
    final AtomicReferenceArray<AtomicReferenceArray<Series>> byMethod =
        new AtomicReferenceArray<>(METHODS.length);

    Series series(int method, int status) {
      AtomicReferenceArray<Series> byStatus = byMethod.get(method);
      if (byStatus == null) {
        byMethod.compareAndSet(method, null, new AtomicReferenceArray<>(STATUS_SLOTS));
        byStatus = byMethod.get(method);
      }
      int slot = status >= 100 && status < STATUS_SLOTS ? status : 0;
      Series s = byStatus.get(slot);
      if (s == null) {
        byStatus.compareAndSet(slot, null, new Series(Integer.toString(status)));
        s = byStatus.get(slot);
      }
      return s;
    }
  }

  /** The counts of one method, route and status. */
  private static final class Series {
    final String statusLabel;

    /** Requests per bucket, not cumulative; the last is above every bound (+Inf). */
    final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];

    final LongAdder sumNanos = new LongAdder();

    Series(String statusLabel) {
      this.statusLabel = statusLabel;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(long nanos) {
      int i = 0;
      while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
        i++;
      }
      buckets[i].increment();
      sumNanos.add(nanos);
    }

    HistogramSnapshot.HistogramDataPointSnapshot snapshot(Labels labels) {
      // The snapshot takes a count per bucket and accumulates them itself when written out.
      long[] counts = new long[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        counts[i] = buckets[i].sum();
      }
      double[] bounds = Arrays.copyOf(BOUNDS_SECONDS, buckets.length);
      bounds[BOUNDS_SECONDS.length] = Double.POSITIVE_INFINITY;
      return HistogramSnapshot.HistogramDataPointSnapshot.builder()
          .labels(labels)
          .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
          .sum(sumNanos.sum() / 1e9)
          .build();
    }
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static double[] boundsInSeconds() {
    double[] seconds = new double[BOUNDS_NANOS.length];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = BOUNDS_NANOS[i] / 1e9;
    }
    return seconds;
  }
}
