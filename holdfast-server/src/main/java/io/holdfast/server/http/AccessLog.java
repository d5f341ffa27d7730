package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.server.edge.ClientMistakeLog;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code holdfast.access} logger: method, path, status, bytes,
 * microseconds and remote address. Query strings and headers are left out: they may carry tokens;
 * the path is cut at {@value #MAX_PATH_CHARS} characters. Installed only if the logger is enabled
 * when the server starts ({@code HOLDFAST_ACCESS_LOG=INFO}, the default).
 */
final class AccessLog implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger("holdfast.access");

  /** Longest path written; control characters in it are written as {@code ?}. */
  static final int MAX_PATH_CHARS = 256;

  /** Whether the access logger is on; decided when the server is built. */
  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      if (LOG.isInfoEnabled()) {
        ObjectNode line = JsonViews.object();
        line.put("method", req.prologue().method().text());
        // Bounded and printable: a client chooses its path, and a line per request is a flood's
        // lever.
        line.put("path", ClientMistakeLog.excerpt(req.path().absolute().path(), MAX_PATH_CHARS));
        line.put("status", res.status().code());
        line.put("bytes", res.bytesWritten());
        line.put("micros", (System.nanoTime() - start) / 1000);
        line.put("remote", req.remotePeer().host());
        LOG.info(new String(CanonicalJson.toBytes(line), StandardCharsets.UTF_8));
      }
    }
  }
}
