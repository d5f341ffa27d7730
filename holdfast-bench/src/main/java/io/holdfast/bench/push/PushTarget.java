package io.holdfast.bench.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

/**
 * What differs between the servers of the push benchmarks: how to start one, how to publish to it.
 */
interface PushTarget {

  /** A burst comes from this many publishers at once, each to a namespace of its own. */
  List<String> BURST_NAMESPACES = List.of("burst-1", "burst-2", "burst-3", "burst-4");

  String name();

  List<String> serverArguments(int port) throws IOException;

  String token(int watcher);

  /** Prepares the next publish (a draft), so the timed part is the publish alone. */
  void prepare(HttpClient http, URI base, String namespace, String scope, int value)
      throws Exception;

  /**
   * Publishes the draft of {@code scope} of {@code namespace}, only that one; returns the revision.
   */
  long publish(HttpClient http, URI base, String namespace, String scope) throws Exception;

  /** The namespaces a concurrent burst publishes to, one per publisher. */
  default List<String> burstNamespaces() {
    return BURST_NAMESPACES;
  }

  /** How many watches wait now, as the server counts them. */
  int waiting(HttpClient http, URI base) throws Exception;

  /**
   * The server's own timing of its rebuild for {@code revision}, ms by phase; empty if it has none.
   */
  default double[] lastRefresh(HttpClient http, URI base, long revision) throws Exception {
    return new double[0];
  }
}
