package io.holdfast.bench;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.IfNoneMatch;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A throwaway server that serves one file with Holdfast's validators (content-addressed ETag,
 * {@code If-None-Match} with weak comparison, 304) on either candidate HTTP server, so the
 * benchmark compares the servers doing the same work. Usage: {@code ReferenceServer helidon|jetty
 * PORT FILE}.
 */
public final class ReferenceServer {

  private ReferenceServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ReferenceServer helidon|jetty PORT FILE");
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    byte[] body = Files.readAllBytes(Path.of(args[2]));
    EntityTag etag = ContentHash.of(body).entityTag();
    switch (args[0]) {
      case "helidon" -> helidon(port, body, etag);
      case "jetty" -> jetty(port, body, etag);
      default -> {
        System.err.println("unknown server " + args[0]);
        System.exit(2);
      }
    }
    new CountDownLatch(1).await();
  }

  private static boolean notModified(List<String> conditions, EntityTag etag) {
    return !conditions.isEmpty() && IfNoneMatch.parse(conditions).matches(etag);
  }

  private static void helidon(int port, byte[] body, EntityTag etag) {
    String tag = etag.toHeaderValue();
    WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        .contentEncoding(
            ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
        .routing(
            r ->
                r.get(
                    "/doc",
                    (req, res) -> {
                      res.header(HeaderNames.ETAG, tag);
                      res.header(HeaderNames.CACHE_CONTROL, "private, no-cache");
                      List<String> conditions =
                          req.headers()
                              .find(HeaderNames.IF_NONE_MATCH)
                              .map(h -> h.allValues(false))
                              .orElse(List.of());
                      if (notModified(conditions, etag)) {
                        res.status(Status.NOT_MODIFIED_304);
                        res.send();
                      } else {
                        res.header(HeaderNames.CONTENT_TYPE, "application/json");
                        res.send(body);
                      }
                    }))
        .build()
        .start();
  }

  private static void jetty(int port, byte[] body, EntityTag etag) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    String tag = etag.toHeaderValue();
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.ETAG, tag);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, no-cache");
            List<String> conditions = request.getHeaders().getValuesList(HttpHeader.IF_NONE_MATCH);
            if (notModified(conditions, etag)) {
              response.setStatus(304);
              callback.succeeded();
            } else {
              response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
              response.write(true, ByteBuffer.wrap(body), callback);
            }
            return true;
          }
        });
    server.start();
  }
}
