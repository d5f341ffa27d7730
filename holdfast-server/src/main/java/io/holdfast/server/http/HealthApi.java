package io.holdfast.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.holdfast.protocol.json.CanonicalJson;
import io.holdfast.server.edge.EdgeConnections;
import io.holdfast.server.edge.WatchLimit;
import io.holdfast.server.snapshot.EffectiveSnapshot;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.upgrade.ReplicaDrain;
import io.holdfast.server.upgrade.ReplicaVersion;

/**
 * {@code /health/live} and {@code /health/ready}. A replica is ready once it holds a snapshot, even
 * if its database is down since: it then serves reads and says it is degraded. Readiness also shows
 * how many watch requests are waiting, against {@code max-watchers}, and which release and schema
 * the replica runs (issue 23: during a rolling upgrade, which replicas run which). A stopping
 * replica is not ready ({@code draining}) while it still serves, so that load balancers take it out
 * of rotation first. Served on the instance port (for load balancers) and on the management port;
 * both answers read only memory.
 */
final class HealthApi implements HttpService {

  /**
   * Liveness never changes while the process answers: encoded once (FAULTS.md F3, floods of it are
   * cheap).
   */
  private static final byte[] LIVE = CanonicalJson.toBytes(JsonViews.object().put("status", "up"));

  private final SnapshotHolder snapshots;
  private final WatchLimit watchers;
  private final EdgeConnections connections;
  private final ReplicaVersion version;
  private final ReplicaDrain drain;

  HealthApi(
      SnapshotHolder snapshots,
      WatchLimit watchers,
      EdgeConnections connections,
      ReplicaVersion version,
      ReplicaDrain drain) {
    this.snapshots = snapshots;
    this.watchers = watchers;
    this.connections = connections;
    this.version = version;
    this.drain = drain;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/live", this::live)
        .any("/live", Routes.methodNotAllowed("GET"))
        .get("/ready", this::ready)
        .any("/ready", Routes.methodNotAllowed("GET"));
  }

  private void live(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(LIVE);
  }

  private void ready(ServerRequest req, ServerResponse res) {
    EffectiveSnapshot snapshot = snapshots.current();
    ObjectNode body = JsonViews.object();
    String storeError = snapshots.lastStoreError();
    // Not ready while the instance listener refuses new connections (dead, or at its cap): a load
    // balancer should send new clients elsewhere until it takes them again (FAULTS F1).
    boolean accepting = connections.accepting();
    boolean draining = drain.draining();
    boolean ready = snapshot != null && accepting && !draining;
    body.put(
        "status",
        draining ? "draining" : !ready ? "not-ready" : storeError == null ? "ready" : "degraded");
    ObjectNode release = body.putObject("version");
    release.put("holdfast", version.release());
    release.put("schema", version.schema().understood());
    release.put("storeSchema", version.schema().store());
    if (snapshot != null) {
      body.put("revision", snapshot.revision());
      body.put("snapshotBuiltAt", snapshot.builtAt().toString());
    }
    ObjectNode store = body.putObject("store");
    store.put("healthy", storeError == null);
    if (snapshots.lastStoreSuccess() != null) {
      store.put("lastSuccess", snapshots.lastStoreSuccess().toString());
    }
    if (storeError != null) {
      store.put("error", storeError);
    }
    ObjectNode watching = body.putObject("watchers");
    watching.put("waiting", watchers.waiting());
    watching.put("max", watchers.max());
    ObjectNode edge = body.putObject("connections");
    edge.put("accepting", accepting);
    edge.put("open", connections.open());
    edge.put("max", connections.maxConnections());
    JsonViews.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
  }
}
