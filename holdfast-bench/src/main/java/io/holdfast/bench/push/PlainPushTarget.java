package io.holdfast.bench.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * The baseline: {@link PushBenchServer}'s plain long-polling server on the JDK's HttpServer, whose
 * publish only moves the revision.
 */
class PlainPushTarget implements PushTarget {

  @Override
  public String name() {
    return "plain JDK HttpServer";
  }

  @Override
  public List<String> serverArguments(int port) {
    return List.of("plain", Integer.toString(port));
  }

  @Override
  public String token(int watcher) {
    return null;
  }

  @Override
  public void prepare(HttpClient http, URI base, String namespace, String scope, int value) {
    // Nothing to prepare: a publish just moves the revision.
  }

  @Override
  public long publish(HttpClient http, URI base, String namespace, String scope) throws Exception {
    return BenchHttp.json(
            http,
            HttpRequest.newBuilder(base.resolve("/publish"))
                .POST(HttpRequest.BodyPublishers.noBody()))
        .get("revision")
        .asLong();
  }

  @Override
  public int waiting(HttpClient http, URI base) throws Exception {
    return BenchHttp.json(http, HttpRequest.newBuilder(base.resolve("/health")).GET())
        .get("waiting")
        .asInt();
  }
}
