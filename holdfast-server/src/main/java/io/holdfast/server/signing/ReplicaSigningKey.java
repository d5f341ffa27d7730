package io.holdfast.server.signing;

import io.holdfast.protocol.signature.DocumentSigner;
import io.holdfast.server.datadir.OwnerOnlyFiles;
import io.holdfast.server.datadir.UnsafePermissionsException;
import io.holdfast.server.logging.FailureStreak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key the replica signs with, and its replacement without a restart.
 *
 * <p>Operators rotate a signing key (or replace a leaked one) by writing the new {@code
 * signing-key.pem} in place. A timer compares the file's bytes with those of the key in use ({@link
 * #check()}); when they differ and make a usable key (an Ed25519 pair whose halves belong together,
 * in a file only its owner may read, the same checks as at start), the new signer is published
 * through a volatile and {@code onChange} runs, which rebuilds the snapshot so that every document
 * and checksums is signed with it. When they do not (a file still being written, another key type,
 * a mode that lets others read it), the replica keeps signing with the key it has, and the next
 * check tries again: a half-written file is simply read again once it is whole. The failures are
 * logged once per streak ({@link FailureStreak}), not once per tick, and counted for {@code
 * /metrics}.
 *
 * <p>Thread-safe: checks take a lock; {@link #current()} is a volatile read and never blocks.
 */
public final class ReplicaSigningKey implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("holdfast.signing");

  /** How often a streak of refused files is logged again while it lasts. */
  private static final Duration REPEAT_LOG = Duration.ofMinutes(10);

  private final Path path;
  private final ReentrantLock lock = new ReentrantLock();
  private final LongAdder reloads = new LongAdder();
  private final LongAdder refusals = new LongAdder();
  private final FailureStreak streak;
  private volatile DocumentSigner current;
  private volatile boolean refusing;

  /** The bytes of the file the current key was read from; guarded by {@link #lock}. */
  private byte[] loadedBytes;

  private Runnable onChange = () -> {};
  private ScheduledExecutorService timer;

  private ReplicaSigningKey(Path path, Clock clock) {
    this.path = path;
    this.streak =
        new FailureStreak(
            LOG,
            "reloading the changed signing key "
                + path
                + " (the replica keeps signing with the"
                + " key it has)",
            REPEAT_LOG,
            clock);
  }

  /**
   * Loads the key at {@code path}, creating it first if the file does not exist, for the replica to
   * start with.
   *
   * @throws io.holdfast.server.datadir.UnsafePermissionsException if other users may read it
   * @throws UncheckedIOException if it cannot be read or is not an Ed25519 key pair
   */
  public static ReplicaSigningKey load(Path path, Clock clock) {
    ReplicaSigningKey key = new ReplicaSigningKey(path, clock);
    key.current = SigningKeyFile.loadOrCreate(path);
    try {
      key.loadedBytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the signing key " + path, e);
    }
    return key;
  }

  /** The signer in use now. */
  public DocumentSigner current() {
    return current;
  }

  /**
   * Starts comparing the file every {@code interval}; {@code onChange} runs after a new key is
   * taken (on the timer's thread). A zero interval turns the checks off.
   */
  public void watch(Duration interval, Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    lock.lock();
    try {
      this.onChange = onChange;
      if (timer == null && !interval.isZero()) {
        timer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "holdfast-signing-key-reload");
                  t.setDaemon(true);
                  return t;
                });
        long every = interval.toMillis();
        timer.scheduleWithFixedDelay(this::checkFenced, every, every, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Compares the file with the key in use and takes a usable change, then runs {@code onChange}.
   *
   * @return whether a new key was taken
   */
  public boolean check() {
    lock.lock();
    try {
      byte[] bytes;
      DocumentSigner next;
      try {
        bytes = Files.readAllBytes(path);
        if (Arrays.equals(bytes, loadedBytes)) {
          // Unchanged, or back to the key in use after a bad write: nothing is refused any more.
          endStreak();
          return false;
        }
        OwnerOnlyFiles.requirePrivate(path, "the signing key");
        next = new DocumentSigner(SigningKeyFile.parse(bytes, path));
      } catch (IOException | UnsafePermissionsException | IllegalArgumentException e) {
        refuse(e);
        return false;
      }
      DocumentSigner previous = current;
      current = next;
      loadedBytes = bytes;
      reloads.increment();
      endStreak();
      LOG.info(
          "signing key reloaded from {}: now signing with key {} (was {})",
          path,
          next.verificationKey().keyId(),
          previous.verificationKey().keyId());
    } finally {
      lock.unlock();
    }
    // Outside the lock: the rebuild reads the store and may take a while.
    onChange.run();
    return true;
  }

  /** Keys taken without a restart. */
  public long reloads() {
    return reloads.sum();
  }

  /** Checks that found a changed file they could not use, the key in use kept. */
  public long refusals() {
    return refusals.sum();
  }

  /** Whether the file on disk differs from the key in use and cannot be used (last check). */
  public boolean refusing() {
    return refusing;
  }

  private void refuse(Exception e) {
    refusals.increment();
    refusing = true;
    // The key id in the message: the operator reading the line learns what still signs.
    streak.failed(
        new IllegalStateException(
            e.getMessage() + "; still signing with key " + current.verificationKey().keyId(), e));
  }

  private void endStreak() {
    refusing = false;
    streak.succeeded();
  }

  private void checkFenced() {
    try {
      check();
    } catch (RuntimeException e) {
      // onChange failed (the store is down for the rebuild, say): the snapshot poller rebuilds
      // with the new key once it can; the timer must keep running.
      LOG.warn("after the signing key was reloaded, rebuilding the snapshot failed", e);
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
