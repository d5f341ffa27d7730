package io.holdfast.server.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.problem.ProblemType;
import io.holdfast.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} on the management port: the Prometheus text format. It carries no ids, names
 * or secrets, only counts, and is not served on the instance port at all: operators firewall the
 * management port off from instances. A flood of scrapes costs little (FAULTS.md F3): the page is
 * rendered at most once a second however many ask ({@link ScrapeMemo}), and answers are sent one at
 * a time ({@link ScrapeGate}).
 */
public final class MetricsApi implements HttpService {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final ScrapeMemo scrapes;
  private final ScrapeGate gate = new ScrapeGate(ScrapeGate.MAX_WAIT);

  public MetricsApi(ServerMetrics metrics) {
    this.scrapes =
        new ScrapeMemo(() -> metrics.scrape().getBytes(StandardCharsets.UTF_8), System::nanoTime);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::scrape);
  }

  private void scrape(ServerRequest req, ServerResponse res) {
    if (!gate.enter()) {
      throw new ProblemException(
          ProblemType.OVERLOADED,
          "too many scrapes at once on this replica; retry after the time in Retry-After");
    }
    try {
      byte[] page = scrapes.get();
      res.header(HeaderNames.CONTENT_TYPE, TEXT_FORMAT);
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      res.send(page);
    } finally {
      gate.leave();
    }
  }
}
