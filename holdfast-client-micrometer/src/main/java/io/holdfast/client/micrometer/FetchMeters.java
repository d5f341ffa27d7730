package io.holdfast.client.micrometer;

import io.holdfast.client.FetchEvent;
import io.holdfast.client.FetchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts and times the client's requests by kind, outcome and replica. Meters are registered on
 * first use and cached, so an event costs a map lookup, not a registration. Thread-safe.
 */
final class FetchMeters implements FetchListener {

  private record Key(FetchEvent.Kind kind, FetchEvent.Outcome outcome, URI replica) {}

  private record Meters(Counter count, Timer duration) {}

  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Meters> meters = new ConcurrentHashMap<>();

  FetchMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onFetch(FetchEvent event) {
    Meters m =
        meters.computeIfAbsent(
            new Key(event.kind(), event.outcome(), event.replica()), this::register);
    m.count().increment();
    m.duration().record(event.duration());
  }

  private Meters register(Key key) {
    Tags tags =
        Tags.of(
            "kind",
            key.kind().name().toLowerCase(Locale.ROOT),
            "outcome",
            key.outcome().name().toLowerCase(Locale.ROOT),
            "replica",
            hostAndPort(key.replica()));
    return new Meters(
        Counter.builder("holdfast.client.fetches")
            .description("Requests to replicas, by what was asked for and what came of it")
            .tags(tags)
            .register(registry),
        Timer.builder("holdfast.client.fetch.duration")
            .description(
                "How long requests to replicas took; a watch lasts as long as the replica held it")
            .tags(tags)
            .register(registry));
  }

  /** The replica's host and port: the scheme's default port when none is given. */
  static String hostAndPort(URI replica) {
    int port =
        replica.getPort() != -1
            ? replica.getPort()
            : "https".equals(replica.getScheme()) ? 443 : 80;
    return replica.getHost() + ":" + port;
  }
}
