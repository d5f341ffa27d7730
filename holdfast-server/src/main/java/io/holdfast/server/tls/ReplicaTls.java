package io.holdfast.server.tls;

import io.helidon.common.tls.Tls;
import io.holdfast.server.config.ConfigException;
import io.holdfast.server.config.TlsSettings;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's certificate, and its renewal without a restart.
 *
 * <p>Certificates from ACME or cert-manager are replaced every few weeks, by writing new files in
 * place. A timer compares the files' bytes with those last seen ({@link #check()}); when they
 * changed and the new files make a usable certificate (a chain, its own key, a readable client CA
 * bundle), the listeners take it for new handshakes (Helidon's {@code WebServer.reloadTls}); open
 * connections keep theirs. When they do not (a half-written rotation, a key that is not the
 * certificate's), the replica keeps serving the certificate it has and says so in one log line per
 * change, not once per tick. A failure at start is a {@link ConfigException}: no replica starts
 * without the TLS it was told to speak.
 *
 * <p>Thread-safe: checks take a lock, the current {@link Tls} is published through a volatile.
 */
public final class ReplicaTls implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("holdfast.tls");

  private final TlsSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final LongAdder reloads = new LongAdder();
  private final LongAdder refusals = new LongAdder();
  private volatile CertificateFiles.Loaded current;

  /** The bytes last compared, good or bad, so that a bad change is reported once. */
  private CertificateFiles lastSeen;

  private Consumer<Tls> listeners = tls -> {};
  private ScheduledExecutorService timer;

  private ReplicaTls(TlsSettings settings) {
    this.settings = settings;
  }

  /**
   * Reads the certificate for the replica to start with; plain HTTP when {@code settings} has none.
   *
   * @throws ConfigException naming the setting and the file that cannot be used
   */
  public static ReplicaTls load(TlsSettings settings) {
    ReplicaTls tls = new ReplicaTls(settings);
    if (settings.enabled()) {
      CertificateFiles files = CertificateFiles.read(settings);
      tls.current = files.parse();
      tls.lastSeen = files;
      warnIfNotValidNow(tls.current);
      LOG.info(
          "TLS on every port with {} ({}){}",
          settings.certificate(),
          tls.current.describe(),
          settings.clientCa() == null
              ? ""
              : "; clients must present a certificate signed by " + settings.clientCa());
    }
    return tls;
  }

  /** Whether the replica speaks TLS. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** The certificate new listeners start with; empty for plain HTTP. */
  public Optional<Tls> current() {
    CertificateFiles.Loaded loaded = current;
    return loaded == null ? Optional.empty() : Optional.of(loaded.tls());
  }

  /**
   * Starts comparing the files every {@code tls-reload-interval}; a usable change is handed to
   * {@code reload}, which gives it to the running listeners. Does nothing for plain HTTP.
   */
  public void watch(Consumer<Tls> reload) {
    if (!enabled()) {
      return;
    }
    lock.lock();
    try {
      listeners = reload;
      if (timer == null) {
        timer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "holdfast-tls-reload");
                  t.setDaemon(true);
                  return t;
                });
        long every = settings.reloadInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkFenced, every, every, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Compares the files with those last seen and takes a usable change.
   *
   * @return whether a new certificate was taken
   */
  public boolean check() {
    if (!enabled()) {
      return false;
    }
    lock.lock();
    try {
      CertificateFiles files;
      try {
        files = CertificateFiles.read(settings);
      } catch (ConfigException e) {
        // A file missing for a moment (a rotation replacing it) is a change too, reported once.
        if (lastSeen != null) {
          lastSeen = null;
          refuse(e);
        }
        return false;
      }
      if (files.sameAs(lastSeen)) {
        return false;
      }
      lastSeen = files;
      CertificateFiles.Loaded loaded;
      try {
        loaded = files.parse();
      } catch (ConfigException e) {
        refuse(e);
        return false;
      }
      // Published first: a listener the edge restarts meanwhile is built with the new one.
      CertificateFiles.Loaded previous = current;
      current = loaded;
      try {
        listeners.accept(loaded.tls());
      } catch (RuntimeException e) {
        // Not the files' fault: take them again at the next check.
        current = previous;
        lastSeen = null;
        throw e;
      }
      reloads.increment();
      warnIfNotValidNow(loaded);
      LOG.info(
          "TLS certificate reloaded from {} (files {}): {}",
          settings.certificate(),
          files.digest(),
          loaded.describe());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Certificates taken without a restart. */
  public long reloads() {
    return reloads.sum();
  }

  /** Changes on disk that could not be used, the loaded certificate kept. */
  public long refusals() {
    return refusals.sum();
  }

  private void refuse(ConfigException e) {
    refusals.increment();
    CertificateFiles.Loaded kept = current;
    LOG.warn(
        "TLS certificate files changed but cannot be used ({}); still serving {}",
        e.getMessage(),
        kept == null ? "nothing" : kept.describe());
  }

  private void checkFenced() {
    try {
      check();
    } catch (RuntimeException e) {
      refusals.increment();
      LOG.error(
          "TLS certificate check failed; the loaded certificate stays, checking again in {}",
          settings.reloadInterval(),
          e);
    }
  }

  /**
   * An expired or not-yet-valid certificate is served (clients decide), but the operator is told.
   */
  private static void warnIfNotValidNow(CertificateFiles.Loaded loaded) {
    try {
      loaded.certificate().checkValidity();
    } catch (java.security.cert.CertificateException e) {
      LOG.warn(
          "the TLS certificate {} is not valid now: clients will refuse it", loaded.describe());
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (timer != null) {
        timer.shutdownNow();
      }
    } finally {
      lock.unlock();
    }
  }
}
