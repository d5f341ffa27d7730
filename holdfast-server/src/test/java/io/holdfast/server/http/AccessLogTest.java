package io.holdfast.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.server.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The structured access log: one JSON line per request, and nothing secret in it. */
class AccessLogTest {

  @Test
  void eachRequestWritesOneJsonLine_withoutQueryStringOrToken(@TempDir Path dir) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("holdfast.access");
    Level previous = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    try (ServerFixture server = ServerFixture.start(dir)) {
      server.get("/v1/keys?secret=hunter2", server.adminToken());
      server.get("/v1/admin/instances/missing", server.adminToken());

      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> appender.list.size() >= 2);
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines =
          appender.list.stream()
              .map(
                  e -> {
                    try {
                      return json.readTree(e.getFormattedMessage());
                    } catch (Exception ex) {
                      throw new AssertionError("not JSON: " + e.getFormattedMessage(), ex);
                    }
                  })
              .toList();
      assertThat(lines.get(0).path("method").asText()).isEqualTo("GET");
      assertThat(lines.get(0).path("path").asText()).isEqualTo("/v1/keys");
      assertThat(lines.get(0).path("status").asInt()).isEqualTo(200);
      assertThat(lines.get(0).path("bytes").asLong()).isPositive();
      assertThat(lines.get(0).has("micros")).isTrue();
      assertThat(lines.get(1).path("status").asInt()).isEqualTo(404);
      for (ILoggingEvent event : appender.list) {
        assertThat(event.getFormattedMessage())
            .doesNotContain("hunter2")
            .doesNotContain(server.adminToken());
      }
    } finally {
      logger.setLevel(previous);
      logger.detachAppender(appender);
    }
  }
}
