package io.holdfast.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.holdfast.client.ChangeListener;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import io.holdfast.client.StatusListener;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fixed documents behind the SDK's read API, for an application's own unit tests (what
 * OpenFeature's {@code InMemoryProvider} is to a feature-flag provider): code that reads its
 * configuration through {@link HoldfastConfig} gets these documents, with no replica, thread or
 * network involved.
 *
 * <pre>{@code
 * FixedConfig config = FixedConfig.builder()
 *     .namespace("core", "{\"sessionTimeoutMinutes\": 30}")
 *     .build();
 * SessionPolicy policy = new SessionPolicy(config);        // takes a HoldfastConfig
 * config.publish("core", "{\"sessionTimeoutMinutes\": 5}"); // change listeners run now
 * config.status("core", Status.STALE, "replicas unreachable");
 * }</pre>
 *
 * <p>Every namespace starts FRESH at revision 1. {@link #publish} serves a new document at the next
 * revision and {@link #status} changes a namespace's freshness while keeping its document, as the
 * client does when its replicas fail; listeners are called on the calling thread, before the method
 * returns, in registration order. A {@code subscriptions} namespace feeds a {@link
 * io.holdfast.client.seats.SubscriptionChecker} like the client's. Thread-safe.
 */
public final class FixedConfig implements HoldfastConfig {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Clock clock;
  private final Duration gracePeriod;
  private final Map<String, ConfigSnapshot> snapshots; // guarded by this; its keys never change
  private final List<ChangeListener> changeListeners = new CopyOnWriteArrayList<>();
  private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();

  private FixedConfig(Builder builder) {
    this.clock = builder.clock;
    this.gracePeriod = builder.gracePeriod;
    this.snapshots = new LinkedHashMap<>();
    builder.documents.forEach(
        (namespace, content) ->
            snapshots.put(
                namespace,
                new ConfigSnapshot(
                    namespace,
                    1,
                    etag(namespace, 1),
                    content,
                    new Freshness(
                        Status.FRESH,
                        clock.instant(),
                        "fixed document",
                        clock.instant(),
                        gracePeriod))));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized ConfigSnapshot snapshot(String namespace) {
    ConfigSnapshot snapshot = snapshots.get(namespace);
    if (snapshot == null) {
      throw new IllegalArgumentException(
          "namespace '" + namespace + "' is not configured; configured: " + snapshots.keySet());
    }
    return snapshot;
  }

  @Override
  public synchronized Map<String, Freshness> statuses() {
    Map<String, Freshness> statuses = new LinkedHashMap<>();
    snapshots.forEach((namespace, snapshot) -> statuses.put(namespace, snapshot.freshness()));
    return statuses;
  }

  @Override
  public void addChangeListener(ChangeListener listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void addStatusListener(StatusListener listener) {
    statusListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Serves a new document (a JSON object) for the namespace, at the next revision, FRESH; tells the
   * change listeners, and the status listeners if it was not FRESH before.
   *
   * @throws IllegalArgumentException if the namespace is not configured or the text is no JSON
   *     object
   */
  public void publish(String namespace, String json) {
    publish(namespace, parse(namespace, json));
  }

  /** {@link #publish(String, String)} with a tree; the tree is copied. */
  public synchronized void publish(String namespace, JsonNode content) {
    ConfigSnapshot previous = snapshot(namespace);
    long revision = previous.revision() + 1;
    ConfigSnapshot current =
        new ConfigSnapshot(
            namespace,
            revision,
            etag(namespace, revision),
            requireObject(namespace, content),
            new Freshness(
                Status.FRESH,
                previous.status() == Status.FRESH ? previous.freshness().since() : clock.instant(),
                "fixed document",
                clock.instant(),
                gracePeriod));
    snapshots.put(namespace, current);
    for (ChangeListener listener : changeListeners) {
      listener.onChange(previous, current);
    }
    announce(namespace, previous.freshness(), current.freshness());
  }

  /**
   * Gives the namespace this status and reason, keeping its document, as the client does when its
   * replicas fail (STALE, EXPIRED) or recover (FRESH); tells the status listeners if either
   * changed. Grace remaining is the grace period while FRESH or STALE, and zero once EXPIRED.
   *
   * @throws IllegalArgumentException if the namespace is not configured, or the status is
   *     INITIALIZING
   */
  public synchronized void status(String namespace, Status status, String reason) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (status == Status.INITIALIZING) {
      throw new IllegalArgumentException(
          "a fixed namespace always has a document; INITIALIZING cannot be set");
    }
    ConfigSnapshot previous = snapshot(namespace);
    Freshness was = previous.freshness();
    Freshness now =
        new Freshness(
            status,
            status == was.status() ? was.since() : clock.instant(),
            reason,
            was.lastVerifiedAt(),
            status == Status.EXPIRED ? Duration.ZERO : gracePeriod);
    snapshots.put(
        namespace,
        new ConfigSnapshot(
            namespace, previous.revision(), previous.etag(), previous.content(), now));
    announce(namespace, was, now);
  }

  private void announce(String namespace, Freshness previous, Freshness current) {
    if (previous.status() == current.status() && previous.reason().equals(current.reason())) {
      return;
    }
    for (StatusListener listener : statusListeners) {
      listener.onStatus(namespace, previous, current);
    }
  }

  private static String etag(String namespace, long revision) {
    return "\"fixed-" + namespace + "-" + revision + "\"";
  }

  private static JsonNode parse(String namespace, String json) {
    Objects.requireNonNull(json, "json");
    try {
      return requireObject(namespace, JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the document for namespace '" + namespace + "' is not JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private static JsonNode requireObject(String namespace, JsonNode content) {
    if (content == null || !content.isObject()) {
      throw new IllegalArgumentException(
          "the document for namespace '" + namespace + "' must be a JSON object");
    }
    return content;
  }

  /** Configures a {@link FixedConfig}. Not thread-safe. */
  public static final class Builder {

    private final Map<String, JsonNode> documents = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration gracePeriod = Duration.ofHours(8);

    private Builder() {}

    /**
     * A namespace and its document, a JSON object.
     *
     * @throws IllegalArgumentException if the namespace was given already or the text is no JSON
     *     object
     */
    public Builder namespace(String namespace, String json) {
      return namespace(namespace, parse(namespace, json));
    }

    /** A namespace and its document, a JSON object; the tree is copied. */
    public Builder namespace(String namespace, JsonNode content) {
      Objects.requireNonNull(namespace, "namespace");
      if (documents.containsKey(namespace)) {
        throw new IllegalArgumentException("namespace listed twice: " + namespace);
      }
      documents.put(namespace, requireObject(namespace, content).deepCopy());
      return this;
    }

    /**
     * The clock freshness times are read from; {@link ManualTime#clock()} in tests that move time.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * What freshness reports as grace remaining while not EXPIRED; default 8 h, as the client's.
     */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = Objects.requireNonNull(gracePeriod, "grace period");
      return this;
    }

    /**
     * @throws IllegalStateException if no namespace was given
     */
    public FixedConfig build() {
      if (documents.isEmpty()) {
        throw new IllegalStateException("no namespaces: call namespace(name, json)");
      }
      return new FixedConfig(this);
    }
  }
}
