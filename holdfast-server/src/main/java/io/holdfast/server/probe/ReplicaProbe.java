package io.holdfast.server.probe;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.config.ProbeSettings;
import io.holdfast.server.store.ConfigStore;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The synthetic probe as one replica runs it: the canary is created at start, then rounds run every
 * {@link ProbeSettings#interval()} against {@link ProbeSettings#targets()} (this replica alone when
 * none are configured), with the canary credential derived from the signing key and that key as the
 * only trusted one. When the probe is disabled, nothing is created or started and {@link
 * #results()} stays empty.
 *
 * <p>Thread-safe. {@link #start(String, int)} once the replica listens; {@link #close()} stops it.
 */
public final class ReplicaProbe implements AutoCloseable {

  private final ProbeSettings settings;
  private final Clock clock;
  private final ProbeResults results;
  private volatile String credential;

  /** The key the replica signs with, first, and the one it signed with before, if any. */
  private List<VerificationKey> trusted; // guarded by this

  private SyntheticProbe running; // guarded by this
  private String host; // guarded by this; where start() was told the replica listens
  private int port; // guarded by this
  private boolean closed; // guarded by this

  public ReplicaProbe(ProbeSettings settings, DocumentSigner signer, Clock clock) {
    this.settings = settings;
    this.credential = Canary.credential(signer);
    this.trusted = List.of(signer.verificationKey());
    this.clock = clock;
    this.results = new ProbeResults(settings.lagTolerance(), clock);
  }

  /** Creates the canary instance if the probe is enabled and the canary is absent or outdated. */
  public void ensureCanary(ConfigStore store) {
    if (settings.enabled()) {
      Canary.ensure(store, credential);
    }
  }

  /**
   * Starts the rounds if the probe is enabled; the first runs one interval from now.
   *
   * @param host the address this replica is bound to
   * @param port the port it listens on
   */
  public synchronized void start(String host, int port) {
    if (!settings.enabled() || running != null || closed) {
      return;
    }
    this.host = host;
    this.port = port;
    List<URI> targets =
        settings.targets().isEmpty() ? List.of(self(host, port)) : settings.targets();
    CanaryProber prober =
        new CanaryProber(
            new CanaryTarget(Canary.INSTANCE, credential, Canary.NAMESPACE),
            trusted,
            CanaryProber.DEFAULT_TIMEOUT,
            clock);
    running = new SyntheticProbe(prober, targets, results);
    running.start(settings.interval());
  }

  /**
   * Follows a signing key reloaded without a restart: the canary's credential is derived from the
   * new key (and given to the canary in the store), and the rounds verify signatures with the new
   * key and the previous one, which peers not yet reloaded still sign with. Running rounds are
   * restarted with them.
   *
   * @throws RuntimeException if the store cannot be written; the rounds run with the new key anyway
   */
  public void signingKeyChanged(DocumentSigner signer, ConfigStore store) {
    SyntheticProbe stopping;
    synchronized (this) {
      credential = Canary.credential(signer);
      trusted = List.of(signer.verificationKey(), trusted.get(0));
      stopping = running;
      running = null;
    }
    if (stopping != null) {
      stopping.close(); // outside the monitor: it waits for a round that may be probing
    }
    try {
      ensureCanary(store);
    } finally {
      synchronized (this) {
        if (stopping != null) {
          start(host, port);
        }
      }
    }
  }

  /** Whether this replica probes. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** The latest results; empty while disabled or before the first round. */
  public ProbeResults results() {
    return results;
  }

  /** The running probe, to run a round at once (tests, operators' tools); empty while disabled. */
  public synchronized Optional<SyntheticProbe> running() {
    return Optional.ofNullable(running);
  }

  /**
   * The canary's bearer credential on this replica (every replica sharing the key has the same).
   */
  public String canaryCredential() {
    return credential;
  }

  @Override
  public void close() {
    SyntheticProbe stopping;
    synchronized (this) {
      closed = true;
      stopping = running;
      running = null;
    }
    if (stopping != null) {
      stopping.close(); // outside the monitor: it waits for a round that may be probing
    }
  }

  /** This replica as its own instances would reach it; a wildcard bind is reached on loopback. */
  private static URI self(String host, int port) {
    String reachable =
        host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    if (reachable.contains(":") && !reachable.startsWith("[")) {
      reachable = "[" + reachable + "]";
    }
    return URI.create("http://" + reachable + ":" + port);
  }
}
