package io.holdfast.server.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.admin.NamespaceService;
import io.holdfast.server.admin.ReadYourWrites;
import io.holdfast.server.auth.Authenticator;
import io.holdfast.server.auth.CredentialTokens;
import io.holdfast.server.auth.CredentialUse;
import io.holdfast.server.config.EdgeSettings;
import io.holdfast.server.config.ServerConfig;
import io.holdfast.server.console.Console;
import io.holdfast.server.edge.ClientMistakeLog;
import io.holdfast.server.edge.DescriptorBudget;
import io.holdfast.server.edge.EdgeConnections;
import io.holdfast.server.edge.EdgeFilter;
import io.holdfast.server.edge.EdgeServer;
import io.holdfast.server.edge.KeyedLimit;
import io.holdfast.server.edge.WatchLimit;
import io.holdfast.server.edge.WatchPlaces;
import io.holdfast.server.fleet.Fleet;
import io.holdfast.server.fleet.HeartbeatWriter;
import io.holdfast.server.fleet.Propagation;
import io.holdfast.server.keyset.PublishedKeySets;
import io.holdfast.server.metrics.ServerMetrics;
import io.holdfast.server.probe.ReplicaProbe;
import io.holdfast.server.push.ChecksumsStream;
import io.holdfast.server.rollout.Changes;
import io.holdfast.server.snapshot.SnapshotHolder;
import io.holdfast.server.store.ConfigStore;
import io.holdfast.server.tls.ReplicaTls;
import io.holdfast.server.upgrade.ReplicaDrain;
import io.holdfast.server.upgrade.ReplicaVersion;
import io.holdfast.server.window.WindowSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the HTTP server: every route, the error mapping and the socket options.
 *
 * <p>Content encoding is switched off: a compressed representation would need its own ETag
 * (DESIGN), and Helidon would otherwise gzip transparently under the identity ETag. TCP_NODELAY is
 * on: without it Nagle's algorithm and delayed ACKs stall larger responses by about 40 ms
 * (measured, DESIGN.md).
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  static final int KEEPALIVE_IDLE_SECONDS = 30;
  static final int KEEPALIVE_INTERVAL_SECONDS = 10;
  static final int KEEPALIVE_PROBES = 3;
  static final int ACCEPT_BACKLOG = 8192;

  /** Largest request header block; far above any legitimate request, bounded against abuse. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private HttpApi() {}

  /**
   * Every answer Helidon gives before routing (bad framing, a later request's version) as
   * problem+json.
   */
  private static DirectHandlers transportProblems() {
    DirectHandlers.Builder handlers = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
      handlers.addHandler(type, new TransportProblems());
    }
    return handlers.build();
  }

  /**
   * Builds and starts the server with its edge ({@link EdgeServer}); {@code clock} stamps the
   * heartbeats it receives and says which subscription is in force now.
   */
  public static EdgeServer start(
      ServerConfig config,
      ConfigStore store,
      SnapshotHolder snapshots,
      Supplier<List<VerificationKey>> keys,
      CredentialTokens tokens,
      Clock clock,
      ReplicaProbe probe,
      ServerMetrics metrics,
      Fleet fleet,
      HeartbeatWriter heartbeats,
      Changes changes,
      NamespaceService namespaces,
      WindowSettings windows,
      CredentialUse credentialUse,
      PublishedKeySets keySets,
      ReplicaTls tls,
      ReplicaVersion version,
      ReplicaDrain drain) {
    LongSupplier nanoTime = System::nanoTime;
    ClientMistakeLog mistakes = new ClientMistakeLog(nanoTime);
    DescriptorBudget descriptors = DescriptorBudget.current();
    EdgeSettings edgeSettings = config.edge();
    int maxConnections = descriptors.cap(edgeSettings.maxConnections());
    if (maxConnections < edgeSettings.maxConnections()) {
      LOG.info(
          "max-connections lowered from {} to {}: the process may open {} files, {} are open, {} stay in reserve",
          edgeSettings.maxConnections(),
          maxConnections,
          descriptors.limit(),
          descriptors.openAtStart(),
          DescriptorBudget.RESERVE);
    }
    EdgeConnections connections =
        new EdgeConnections(edgeSettings, maxConnections, nanoTime, mistakes, tls.enabled());
    Authenticator authenticator = new Authenticator(clock, credentialUse);
    RequestGuard guard = new RequestGuard(snapshots, authenticator);
    StrictJson adminJson = new StrictJson(config.maxBodyBytes(), config.maxDepth());
    RequestBodies bodies = new RequestBodies(adminJson);
    WatchLimit watchers = new WatchLimit(config.maxWatchers());
    // Long polls and streams share both caps: a client holds one or the other.
    WatchPlaces watchPlaces =
        new WatchPlaces(watchers, new KeyedLimit(edgeSettings.maxWatchesPerInstance()), drain);
    RequestBodies heartbeatBodies =
        new RequestBodies(
            new StrictJson(
                Math.min(HeartbeatBody.MAX_BYTES, config.maxBodyBytes()),
                Math.min(HeartbeatBody.MAX_DEPTH, config.maxDepth())));
    ReadYourWrites writes = new ReadYourWrites(snapshots);
    AdminContext admin =
        new AdminContext(store, new AdminGate(guard, writes), bodies, tokens, snapshots, windows);
    metrics.bindWatchers(watchers::waiting, watchers.max());
    AdmissionControl admission =
        new AdmissionControl(
            config.maxConcurrentRequests(),
            new KeyedLimit(edgeSettings.maxRequestsPerInstance()),
            edgeSettings.maxAdminRequests(),
            metrics.bindAdmission(config.maxConcurrentRequests()));
    HealthApi health = new HealthApi(snapshots, watchers, connections, version, drain);
    HttpRouting.Builder routing = HttpRouting.builder();
    // First: it times every request, closes connections that asked for it, and answers failures.
    EdgeFilter edgeFilter = new EdgeFilter(connections, ProblemResponses::send, mistakes, nanoTime);
    routing.addFilter(edgeFilter);
    routing.addFilter(metrics.requests());
    // Before admission control, so that its 503 carries the Vary too.
    routing.addFilter(new CredentialVary());
    routing.addFilter(admission);
    if (AccessLog.enabled()) {
      // Only when it would write: a filter costs every request even when its logger is off.
      routing.addFilter(new AccessLog());
    }
    InstanceApi instances = new InstanceApi(guard, snapshots, watchPlaces, connections);
    // First of all routes: the reads every instance makes, matched on their full paths.
    instances.readRoutes(routing);
    routing
        .register(
            InstanceApi.PREFIX,
            instances,
            new ChecksumsStream(
                new InstanceGate(guard),
                snapshots,
                watchPlaces,
                connections,
                config.streamKeepAlive()),
            new HeartbeatApi(
                guard,
                heartbeatBodies,
                clock,
                heartbeats,
                new Propagation(metrics::recordPropagation)))
        .register("/v1/keys", new KeysApi(keys))
        .register("/v1/keyset", new KeySetApi(keySets))
        .register("/v1/admin/keyset", new KeySetAdminApi(admin, keySets))
        .register("/v1/admin/rings", new RingAdminApi(admin, changes))
        .register("/v1/admin/changes", new ChangeAdminApi(admin, changes))
        .register("/v1/admin/rollouts", new RolloutAdminApi(admin, changes))
        .register("/v1/admin/instances", new InstanceAdminApi(admin))
        .register("/v1/admin/namespaces", new NamespaceAdminApi(admin, namespaces))
        .register("/v1/admin/credentials", new CredentialAdminApi(admin, clock, credentialUse))
        .register("/v1/admin/applications", new ApplicationAdminApi(admin))
        // Before the subscriptions API, whose /{id} would otherwise take "usage" for an id.
        .register("/v1/admin", new SubscriptionUsageApi(admin, clock))
        .register("/v1/admin/subscriptions", new SubscriptionAdminApi(admin))
        .register("/v1/admin/audit", new AuditAdminApi(admin))
        .register("/v1/admin/probes", new ProbeAdminApi(admin, probe))
        .register("/v1/admin/fleet", new FleetApi(admin, fleet))
        .register("/v1/admin/blackouts", new BlackoutAdminApi(admin))
        .register("/health", health)
        // The web console, over the same services, checks and audit as the admin API.
        .register(
            "/console",
            new Console(
                store,
                snapshots,
                changes,
                namespaces,
                windows,
                fleet,
                probe,
                version,
                clock,
                adminJson,
                writes,
                authenticator,
                config.trustedProxies()))
        // Last: Spring Cloud Config's routes start at the root and pass other APIs' paths on.
        .register(new SpringConfigApi(guard))
        .any(Routes.notFound())
        .error(
            Throwable.class,
            (req, res, failure) ->
                ProblemResponses.send(req, res, edgeFilter.explain(req, res, failure)));
    Http1Config http1 =
        Http1Config.builder()
            .maxHeadersSize(MAX_HEADER_BYTES)
            .maxPrologueLength(EdgeServer.MAX_REQUEST_LINE_BYTES)
            // One listener: Helidon 4.5 would call none of several (SendListeners says why).
            // ResponseHeaderCheck validates the headers that are not pre-encoded; the pre-encoded
            // ones were when they were built, so Helidon's check of every header is off.
            .addSendListener(new SendListeners(new NotModifiedLength(), new ResponseHeaderCheck()))
            .validateResponseHeaders(false)
            .build();
    Http1ConnectionSelector http1Selector = Http1ConnectionSelector.builder().config(http1).build();
    SocketOptions socketOptions =
        SocketOptions.builder()
            .tcpNoDelay(true)
            // A client that vanished without closing (its host died, a NAT dropped the flow) is
            // found by TCP keep-alive probes: after KEEPALIVE_IDLE of silence, every
            // KEEPALIVE_INTERVAL, KEEPALIVE_PROBES times. A waiting watch then fails at its next
            // write instead of tying up a place until the kernel gives up (minutes to hours).
            .socketKeepAlive(true)
            .putSocketOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS)
            .putSocketOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS)
            .putSocketOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES)
            .build();
    // A second socket for operators: /metrics only there, /health on both ports.
    ManagementListener management = new ManagementListener(config, health, metrics, tls);
    IntFunction<WebServer> server =
        port ->
            management
                .addTo(
                    withTls(WebServer.builder(), tls)
                        .host(config.host())
                        .port(port)
                        .connectionOptions(EdgeServer.acceptHook(socketOptions, connections))
                        // Helidon's own hard stop, above the edge's cap so that the edge refuses
                        // first with an
                        // answer; it keeps accept() from ever exhausting descriptors on connections
                        // alone.
                        .maxTcpConnections(descriptors.connections() + DescriptorBudget.RESERVE / 2)
                        .addConnectionSelector(
                            EdgeServer.requestLineSelector(http1Selector, connections, mistakes))
                        // A recovering replica meets the whole fleet's connects at once; the kernel
                        // caps this at
                        // net.core.somaxconn.
                        .backlog(ACCEPT_BACKLOG)
                        .contentEncoding(
                            ContentEncodingContext.builder()
                                .contentEncodingsDiscoverServices(false)
                                .build())
                        // Helidon's own cap sits above ours so that oversized bodies reach
                        // RequestBodies and get a problem+json.
                        .maxPayloadSize(config.maxBodyBytes() * 2L)
                        .addProtocol(http1)
                        // Hands Helidon's message to TransportProblems, which classifies it and
                        // never echoes it.
                        .errorHandling(errors -> errors.includeEntity(true))
                        .directHandlers(transportProblems())
                        .shutdownGracePeriod(Duration.ofSeconds(5))
                        .routing(routing))
                .build();
    EdgeServer edge = EdgeServer.start(server, config.host(), config.port(), connections);
    management.started(edge.web());
    // A renewed certificate goes to both listeners of whichever web server runs now; a restarted
    // one is built with it already (withTls).
    tls.watch(
        renewed -> {
          WebServer running = edge.web();
          running.reloadTls(renewed);
          running.reloadTls(ManagementListener.SOCKET, renewed);
        });
    return edge;
  }

  /** The certificate the replica presents now, when it speaks TLS; ALPN offers HTTP/1.1 only. */
  static <B extends io.helidon.webserver.ListenerConfig.BuilderBase<?, ?>> B withTls(
      B listener, ReplicaTls tls) {
    tls.current().ifPresent(listener::tls);
    return listener;
  }

  /** The port the management listener of {@code server} listens on. */
  public static int managementPort(EdgeServer server) {
    return server.web().port(ManagementListener.SOCKET);
  }
}
