package io.holdfast.server.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the Prometheus text format. Open like {@code /health}: it carries no
 * ids, names or secrets, only counts; restrict it at the network if the counts are sensitive.
 */
public final class MetricsApi implements HttpService {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerMetrics metrics;

  public MetricsApi(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::scrape);
  }

  private void scrape(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, TEXT_FORMAT);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
