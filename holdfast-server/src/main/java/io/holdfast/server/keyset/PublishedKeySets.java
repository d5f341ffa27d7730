package io.holdfast.server.keyset;

import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.server.schedule.PeriodicTask;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key sets this replica serves, held in memory so that {@code GET /v1/keyset} and its chain
 * never touch the database. The store is append-only, so a refresh only asks for the rows above the
 * newest version held: one small query when nothing was published. Other replicas on the same store
 * see a new key set at their next poll ({@code refresh-interval}); the replica it was published
 * through serves it before the publish answers.
 *
 * <p>A refresh that finds a newer key set runs the action given to {@link #whenNewer}, after the
 * key set is served: the replica re-issues every instance's checksums with its version, which is
 * how a revocation reaches watching clients within one watch round-trip.
 *
 * <p>Thread-safe: readers take the volatile {@link Held} without locking; refreshes are serialised.
 */
public final class PublishedKeySets implements AutoCloseable {

  /** The most key sets one chain answer holds; a client asks again after the last one. */
  public static final int MAX_CHAIN = 100;

  private static final Logger LOG = LoggerFactory.getLogger(PublishedKeySets.class);

  /**
   * The newest key set with its strong entity tag, which hashes its exact bytes, and its content
   * parsed.
   */
  public record Newest(StoredKeySet keySet, EntityTag etag, KeySet content) {}

  /** Every key set stored, ascending by version; immutable once published here. */
  private record Held(List<StoredKeySet> all, Newest newest) {}

  private final KeySetStore store;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Held held = new Held(List.of(), null);
  private volatile String lastError;
  private volatile Runnable newer = () -> {};
  private PeriodicTask poller;

  public PublishedKeySets(KeySetStore store) {
    this.store = store;
  }

  /** The newest key set, if any was ever published. */
  public Optional<Newest> newest() {
    return Optional.ofNullable(held.newest());
  }

  /** The newest key set's version; 0 when none was ever published. */
  public long newestVersion() {
    Newest newest = held.newest();
    return newest == null ? 0 : newest.keySet().version();
  }

  /**
   * Runs {@code action} after each refresh that found a newer key set (on the refreshing thread,
   * outside the refresh lock); replaces any action set before. Set it before {@link #start}.
   */
  public void whenNewer(Runnable action) {
    this.newer = java.util.Objects.requireNonNull(action, "action");
  }

  /** The key sets of version above {@code after}, ascending, at most {@link #MAX_CHAIN}. */
  public List<StoredKeySet> chainAfter(long after) {
    List<StoredKeySet> all = held.all();
    int from = 0;
    int to = all.size();
    while (from < to) {
      int middle = (from + to) >>> 1;
      if (all.get(middle).version() <= after) {
        from = middle + 1;
      } else {
        to = middle;
      }
    }
    return all.subList(from, Math.min(all.size(), from + MAX_CHAIN));
  }

  /**
   * The chain answer, {@code {"keySets":[…]}}, with every key set embedded byte for byte as
   * published (they are canonical JSON objects, so they embed as they are).
   */
  public static byte[] chainJson(List<StoredKeySet> chain) {
    int size = 16;
    for (StoredKeySet keySet : chain) {
      size += keySet.length() + 1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes("{\"keySets\":[".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < chain.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      chain.get(i).writeTo(out);
    }
    out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * Publishes through the store ({@link KeySetStore#publish}) and, once it committed, serves it
   * here before returning, so the publisher reads what it wrote from this replica.
   */
  public KeySetPublication publish(byte[] bytes, String actor) {
    KeySetPublication publication = store.publish(bytes, actor);
    try {
      refresh();
    } catch (RuntimeException e) {
      // The publish is durable; the poller serves it at its next round.
      LOG.warn("key set {} stored but not served yet: {}", publication.version(), e.getMessage());
    }
    return publication;
  }

  /** Loads the key sets published since the newest one held. */
  public void refresh() {
    if (load()) {
      newer.run();
    }
  }

  /** Loads the key sets published since the newest one held; whether there were any. */
  private boolean load() {
    refreshLock.lock();
    try {
      Held current = held;
      long newest = current.newest() == null ? 0 : current.newest().keySet().version();
      // Asking only above the newest held is safe: versions commit in ascending order (each
      // publish needs a version above every stored one, under the store's single writer), so a
      // reader that sees version N sees every version below it.
      List<StoredKeySet> more;
      try {
        more = store.after(newest, Integer.MAX_VALUE);
      } catch (RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.equals(lastError)) {
          LOG.warn("cannot refresh key sets from the store; serving the ones held: {}", message);
        }
        lastError = message;
        throw e;
      }
      lastError = null;
      if (more.isEmpty()) {
        return false;
      }
      List<StoredKeySet> all = new ArrayList<>(current.all().size() + more.size());
      all.addAll(current.all());
      all.addAll(more);
      StoredKeySet last = more.get(more.size() - 1);
      held =
          new Held(
              List.copyOf(all),
              new Newest(last, ContentHash.of(last.body()).entityTag(), last.parsed().keySet()));
      LOG.info("serving key set version {}", last.version());
      return true;
    } finally {
      refreshLock.unlock();
    }
  }

  /** Polls the store every {@code interval} on a daemon thread. */
  public synchronized void start(Duration interval) {
    if (poller != null) {
      throw new IllegalStateException("already started");
    }
    poller = PeriodicTask.start("holdfast-keyset-poller", interval, this::pollOnce);
  }

  private void pollOnce() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // Logged by refresh(); the next poll retries.
    }
  }

  /** Stops polling; what is held stays served. Idempotent. */
  @Override
  public void close() {
    PeriodicTask stopping;
    synchronized (this) {
      stopping = poller;
      poller = null;
    }
    if (stopping != null) {
      stopping.close();
    }
  }
}
