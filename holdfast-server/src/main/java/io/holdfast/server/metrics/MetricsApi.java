package io.holdfast.server.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} on the management port: the Prometheus text format. It carries no ids,
 * names or secrets, only counts, and is not served on the instance port at all: operators
 * firewall the management port off from instances. A scrape is rendered at most once a second
 * however many ask ({@link ScrapeMemo}), so a flood of scrapes costs little more than one.
 */
public final class MetricsApi implements HttpService {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final ScrapeMemo scrapes;

  public MetricsApi(ServerMetrics metrics) {
    this.scrapes = new ScrapeMemo(() -> metrics.scrape().getBytes(StandardCharsets.UTF_8), System::nanoTime);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::scrape);
  }

  private void scrape(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, TEXT_FORMAT);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(scrapes.get());
  }
}
