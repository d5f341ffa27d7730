package io.holdfast.client;

import io.holdfast.client.internal.ClientRuntime;
import io.holdfast.client.internal.ClientSettings;
import io.holdfast.client.internal.JsonPaths;
import io.holdfast.client.internal.SettingChecks;
import io.holdfast.client.internal.SyncSettings;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.protocol.tls.CaBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The Holdfast client: keeps an application's configuration current from a set of replicas, and
 * keeps serving the last-known-good copy, from memory and from disk, whatever the replicas do.
 *
 * <pre>{@code
 * try (HoldfastClient client = HoldfastClient.builder()
 *     .replicas(URI.create("https://config-a.example"), URI.create("https://config-b.example"))
 *     .instance("acme-prod", System.getenv("HOLDFAST_CREDENTIAL"))
 *     .trustedRoot(Path.of("/etc/acme/holdfast-root.json")) // or trustedKey(...): see trustedRoot
 *     .namespaces("core", "features")
 *     .cacheDirectory(Path.of("/var/cache/holdfast"))
 *     .build()) {
 *   client.start();
 *   int timeout = client.snapshot("core").getInt("sessionTimeoutMinutes", 30);
 * }
 * }</pre>
 *
 * <p>Reads ({@link #snapshot}, {@link #status}) never block on I/O and never throw for missing
 * values; every document they return passed verification. No thread starts before {@link #start()};
 * {@link #close()} stops them. Thread-safe.
 */
public final class HoldfastClient implements HoldfastConfig, AutoCloseable {

  /** The SDK version reported in heartbeats. */
  public static final String VERSION = "0.1.0";

  private final Clock clock;
  private final AtomicReference<ApplicationHealth> applicationHealth = new AtomicReference<>();
  private final ClientRuntime runtime;

  private HoldfastClient(ClientSettings settings, String reportedVersion) {
    JsonPaths paths = new JsonPaths();
    this.clock = settings.clock();
    this.runtime =
        new ClientRuntime(
            settings,
            reportedVersion,
            (namespace, revision, etag, content, freshness) ->
                new ConfigSnapshot(namespace, revision, etag, content, freshness, paths),
            applicationHealth::get);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the last-known-good copies from disk, starts the background threads, and waits up to the
   * start-up timeout for every namespace to be confirmed by a replica. It returns sooner once every
   * replica has been asked and each namespace has at least its verified disk copy (STALE): with
   * every replica down, an application starts on its cache at once. Afterwards, a namespace with
   * neither a replica's document nor a disk copy makes this throw {@link
   * HoldfastUnavailableException} when {@link Builder#failWhenUnavailable(boolean)} is set (the
   * default); otherwise it stays INITIALIZING and reads return defaults.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    runtime.start();
  }

  /**
   * The namespace's current snapshot. Never blocks on I/O and never throws for a configured
   * namespace.
   *
   * @throws IllegalArgumentException if the namespace was not configured
   */
  @Override
  public ConfigSnapshot snapshot(String namespace) {
    ConfigSnapshot snapshot = runtime.read(namespace);
    if (snapshot == null) {
      throw new IllegalArgumentException(
          "namespace '" + namespace + "' is not configured; configured: " + runtime.namespaces());
    }
    return snapshot;
  }

  /** The namespace's freshness: status, since when, and why. */
  @Override
  public Freshness status(String namespace) {
    return snapshot(namespace).freshness();
  }

  /** Every configured namespace's freshness, in configuration order. */
  @Override
  public Map<String, Freshness> statuses() {
    return runtime.statuses();
  }

  /**
   * How far the replicas' clocks are from this host's (replica minus local), from the {@code Date}
   * of their last answer; empty before any answer. Informational: grace runs on the monotonic
   * clock, so no skew can shorten or extend it. Beyond 5 minutes a warning is logged.
   */
  public Optional<Duration> clockSkew() {
    return runtime.clockSkew();
  }

  /** See {@link HoldfastConfig#addChangeListener}; delivered on the {@link Builder#executor}. */
  @Override
  public void addChangeListener(ChangeListener listener) {
    runtime.addChangeListener(Objects.requireNonNull(listener, "listener"));
  }

  /** See {@link HoldfastConfig#addStatusListener}; delivered on the {@link Builder#executor}. */
  @Override
  public void addStatusListener(StatusListener listener) {
    runtime.addStatusListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Registers a listener told of every request to a replica and its outcome (see {@link
   * FetchEvent}), for metrics; {@code holdfast-client-micrometer} is one. May be called before or
   * after {@link #start()}. Without any, the client builds no events.
   */
  public void addFetchListener(FetchListener listener) {
    runtime.addFetchListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Tells the client how the application is doing; every heartbeat from now on carries it (none
   * does before the first report). When the status differs from the last one reported, a heartbeat
   * is sent at once, so a staged rollout's health gate on the server hears of it within seconds (at
   * most one such extra heartbeat a second, however often the status flips); the same status with
   * another reason goes with the next regular heartbeat. The client stamps {@link
   * ApplicationHealth#since()} from its clock when the status changes.
   *
   * <p>Never blocks and never does I/O on the caller's thread. May be called before {@link
   * #start()}, and from any thread; without heartbeats ({@link Builder#heartbeatInterval} zero) the
   * report is only kept.
   */
  public void reportApplicationHealth(ApplicationHealth health) {
    Objects.requireNonNull(health, "health");
    Instant now = clock.instant();
    ApplicationHealth previous =
        applicationHealth.getAndUpdate(
            held ->
                health.withSince(
                    held != null && held.status() == health.status() ? held.since() : now));
    if (previous == null || previous.status() != health.status()) {
      runtime.heartbeatSoon();
    }
  }

  /** The application's health as last reported, with since when; empty before the first report. */
  public Optional<ApplicationHealth> applicationHealth() {
    return Optional.ofNullable(applicationHealth.get());
  }

  /**
   * Waits until every namespace is FRESH.
   *
   * @return {@code true} if they all are, {@code false} if the timeout passed first
   */
  public boolean awaitFresh(Duration timeout) {
    return runtime.awaitFresh(timeout);
  }

  /** Stops the background threads and releases the cache directory. Idempotent. */
  @Override
  public void close() {
    runtime.close();
  }

  /**
   * Configuration of a client. Every setter validates its argument and names a bad one; {@link
   * #build()} checks that the required values are present. Not thread-safe.
   */
  public static final class Builder {
    private final List<URI> replicas = new ArrayList<>();
    private String instance;
    private String credential;
    private final Map<String, VerificationKey> trustedKeys = new LinkedHashMap<>();
    private RootKeys trustedRoot;
    private final List<String> namespaces = new ArrayList<>();
    private Path cacheDirectory;
    private Duration gracePeriod = Duration.ofHours(8);
    private Duration staleAfter = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration requestTimeout = Duration.ofSeconds(1);
    private Duration watchTimeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMinutes(1);
    private Duration persistInterval = Duration.ofMinutes(1);
    private Duration heartbeatInterval = Duration.ofMinutes(1);
    private Duration backoffBase = Duration.ofMillis(200);
    private Duration backoffCap = Duration.ofMinutes(1);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private Duration startupTimeout = Duration.ofSeconds(10);
    private boolean failWhenUnavailable = true;
    private boolean watch = true;
    private boolean eventStream = true;
    private int maxDocumentBytes = 4 * 1024 * 1024;
    private ExpiredPolicy expiredPolicy = ExpiredPolicy.SERVE_LAST_KNOWN_GOOD;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Random random = new SecureRandom();
    private Supplier<Map<String, Long>> seatsInUse = Map::of;
    private final Map<String, DocumentValidator> validators = new LinkedHashMap<>();
    private SSLContext sslContext;
    private Executor executor;
    private String reportedAs;

    private Builder() {}

    /** Replicas in order of preference; at least one, http or https. */
    public Builder replicas(URI... uris) {
      return replicas(List.of(uris));
    }

    public Builder replicas(List<URI> uris) {
      for (URI uri : uris) {
        URI base = SettingChecks.replicaBase(uri);
        if (replicas.contains(base)) {
          throw new IllegalArgumentException("replica listed twice: " + uri);
        }
        replicas.add(base);
      }
      return this;
    }

    /**
     * The trust for https replicas (a private CA, say); default the JDK's trust store. There is
     * deliberately no way to turn certificate or host-name checks off.
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "SSL context");
      return this;
    }

    /**
     * Trusts exactly the certificate authorities in a PEM bundle ({@code ca.pem}, as given to
     * {@code curl --cacert}) for https replicas: {@link #sslContext} made from a file. Host names
     * are still checked. The file is read here, once.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no
     *     certificate
     */
    public Builder trustedCertificates(Path pemBundle) {
      return sslContext(CaBundle.sslContext(Objects.requireNonNull(pemBundle, "CA bundle")));
    }

    /** The instance id and its credential. */
    public Builder instance(String id, String credential) {
      this.instance = SettingChecks.name("instance id", id);
      this.credential = SettingChecks.credential(credential);
      return this;
    }

    /**
     * A public key whose signatures are trusted, pinned by its key id. Changing it takes a release
     * of the application; {@link #trustedRoot(RootKeys)} lets operators rotate and revoke keys
     * without one. A pinned key stays trusted beside a root, unless the root's key set revokes it.
     */
    public Builder trustedKey(VerificationKey key) {
      Objects.requireNonNull(key, "trusted key");
      trustedKeys.put(key.keyId(), key);
      return this;
    }

    /**
     * Pins the offline root of trust (one or more keys and how many must sign): documents are then
     * accepted when signed by a key that the newest root-signed key set lists as valid now. The
     * client fetches the key set from the replicas, follows newer ones and root rotations, keeps it
     * in the cache directory, and refuses documents signed by revoked or retired keys (see
     * docs/client.md, "Trusting a root"). Needs replicas that serve key sets.
     */
    public Builder trustedRoot(RootKeys root) {
      this.trustedRoot = Objects.requireNonNull(root, "trusted root");
      return this;
    }

    /**
     * {@link #trustedRoot(RootKeys)} from the public {@code root.json} that {@code holdfast keys
     * init-root} writes. The file is read here, once.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public Builder trustedRoot(Path rootJson) {
      Objects.requireNonNull(rootJson, "root file");
      try {
        return trustedRoot(RootKeys.parse(Files.readAllBytes(rootJson)));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the root file " + rootJson + ": " + e, e);
      } catch (JsonInputException e) {
        throw new IllegalArgumentException(
            "the root file " + rootJson + " is not a root: " + e.getMessage(), e);
      }
    }

    /** The namespaces to keep; at least one. */
    public Builder namespaces(String... names) {
      Set<String> seen = new LinkedHashSet<>(namespaces);
      for (String name : names) {
        if (!seen.add(SettingChecks.name("namespace", name))) {
          throw new IllegalArgumentException("namespace listed twice: " + name);
        }
        namespaces.add(name);
      }
      return this;
    }

    /**
     * The application's own check of the namespace's documents, run after every check of the
     * client's and before a document replaces the last-known-good one; see {@link
     * DocumentValidator}. At most one per namespace, which must be one of {@link
     * #namespaces(String...)} (checked by {@link #build()}). Default: none.
     */
    public Builder validator(String namespace, DocumentValidator validator) {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(validator, "validator");
      if (validators.containsKey(namespace)) {
        throw new IllegalStateException(
            "a validator for namespace '" + namespace + "' was already set");
      }
      validators.put(namespace, validator);
      return this;
    }

    /** Where last-known-good copies are kept; without one the client keeps them in memory only. */
    public Builder cacheDirectory(Path directory) {
      this.cacheDirectory = Objects.requireNonNull(directory, "cache directory");
      return this;
    }

    /** How long after the last successful verification the LKG is served as STALE; default 8 h. */
    public Builder gracePeriod(Duration grace) {
      this.gracePeriod = SettingChecks.positive("grace period", grace);
      return this;
    }

    /**
     * A FRESH namespace not confirmed for this long becomes STALE even without a failure; default 5
     * min.
     */
    public Builder staleAfter(Duration staleAfter) {
      this.staleAfter = SettingChecks.positive("stale-after", staleAfter);
      return this;
    }

    /** Default 1 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = SettingChecks.positive("connect timeout", timeout);
      return this;
    }

    /**
     * Deadline of one request, body included; default 1 s (a blackholed replica costs at most
     * this).
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = SettingChecks.positive("request timeout", timeout);
      return this;
    }

    /**
     * How long the server may hold a watch open; default 30 s. A replica answers within 50 s
     * whatever is asked, before the 60 s read timeouts of common proxies.
     */
    public Builder watchTimeout(Duration timeout) {
      this.watchTimeout = SettingChecks.positive("watch timeout", timeout);
      return this;
    }

    /**
     * The safety-net full poll of the checksums, and the poll interval without a watch; default 1
     * min.
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = SettingChecks.positive("poll interval", interval);
      return this;
    }

    /** Whether to use the long-poll watch; default true. */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /**
     * Whether a watch goes through the replicas' checksums event stream (server-sent events), the
     * long poll serving only where a proxy buffers or cuts streams; default true. {@code false}
     * forces the long poll. No effect without {@link #watch(boolean) watch}.
     */
    public Builder eventStream(boolean eventStream) {
      this.eventStream = eventStream;
      return this;
    }

    /** Heartbeats to the server; default every minute, {@link Duration#ZERO} for none. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = SettingChecks.zeroOrMore("heartbeat interval", interval);
      return this;
    }

    /**
     * Backoff after every replica failed: full jitter up to {@code base·2ⁿ}, capped; default 200
     * ms, 1 min.
     */
    public Builder backoff(Duration base, Duration cap) {
      this.backoffBase = SettingChecks.positive("backoff base", base);
      this.backoffCap = SettingChecks.positive("backoff cap", cap);
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
      }
      return this;
    }

    /**
     * How long to wait at start for every namespace to be confirmed; default 10 s, zero to not
     * wait.
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = SettingChecks.zeroOrMore("startup timeout", timeout);
      return this;
    }

    /**
     * Whether {@link #start()} fails when a namespace has neither a replica's nor a disk copy;
     * default true.
     */
    public Builder failWhenUnavailable(boolean fail) {
      this.failWhenUnavailable = fail;
      return this;
    }

    /** What reads return once EXPIRED; default {@link ExpiredPolicy#SERVE_LAST_KNOWN_GOOD}. */
    public Builder expiredPolicy(ExpiredPolicy policy) {
      this.expiredPolicy = Objects.requireNonNull(policy, "expired policy");
      return this;
    }

    /** Largest accepted document; default 4 MiB. */
    public Builder maxDocumentBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException(
            "max document bytes must be at least 1024, was " + bytes);
      }
      this.maxDocumentBytes = bytes;
      return this;
    }

    /** The monotonic clock grace is measured on; for tests. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The wall clock for reported times; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of jitter; for tests. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Seats in use per application, reported in heartbeats. */
    public Builder seatsInUse(Supplier<Map<String, Long>> seats) {
      this.seatsInUse = Objects.requireNonNull(seats, "seats in use");
      return this;
    }

    /**
     * Where listeners are called and heartbeats are sent, as with Caffeine's {@code executor}: the
     * application's own pool, or {@code Runnable::run} in tests to call listeners inline on the
     * client's sync thread (a listener that blocks then delays the sync loop: for tests only).
     * Listeners are still called one at a time, in order. The client never shuts the executor down.
     * Default: the client's own two daemon threads.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Names the program this client runs in when it serves an application rather than being
     * embedded in it, such as {@code holdfast-agent}: heartbeats then report {@code sdkVersion} as
     * {@code "0.1.0 (holdfast-agent)"} and requests carry it in their {@code User-Agent}, so the
     * fleet view tells instances read through an agent from those embedding the SDK. The heartbeat
     * keeps its members, so every replica accepts it. A name by the naming rule, at most 32
     * characters; default none.
     */
    public Builder reportedAs(String program) {
      String name = SettingChecks.name("program name", program);
      if (name.length() > 32) {
        throw new IllegalArgumentException(
            "program name must be at most 32 characters, was " + name.length());
      }
      this.reportedAs = name;
      return this;
    }

    /**
     * Copies this configuration into a new client: changing this builder afterwards changes nothing
     * in it, and the builder may be used again for another client.
     *
     * @throws IllegalStateException naming the first missing required value
     */
    public HoldfastClient build() {
      return new HoldfastClient(
          new ClientSettings(
              replicas,
              instance,
              credential,
              trustedKeys,
              trustedRoot,
              namespaces,
              cacheDirectory,
              gracePeriod,
              staleAfter,
              connectTimeout,
              startupTimeout,
              failWhenUnavailable,
              heartbeatInterval,
              maxDocumentBytes,
              expiredPolicy,
              new SyncSettings(
                  requestTimeout,
                  watchTimeout,
                  pollInterval,
                  persistInterval,
                  backoffBase,
                  backoffCap,
                  maxRetryAfter,
                  watch,
                  eventStream),
              ticker,
              clock,
              random,
              seatsInUse,
              validators,
              sslContext,
              executor),
          reportedAs == null ? VERSION : VERSION + " (" + reportedAs + ")");
    }
  }
}
