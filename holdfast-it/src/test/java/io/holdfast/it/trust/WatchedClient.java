package io.holdfast.it.trust;

import io.holdfast.client.HoldfastClient;
import io.holdfast.client.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SDK client of a drill with what the drill asserts on: every status it reported (namespace,
 * status and reason, in order), every value of one setting it adopted, and its disk cache, whose
 * copies name the key that signed them.
 */
final class WatchedClient implements AutoCloseable {

  private final HoldfastClient client;
  private final Path cache;
  private final List<String> transitions = new ArrayList<>();
  private final List<Integer> adopted = new ArrayList<>();

  /**
   * Builds the client with {@code cache} as its cache directory and listens to it before it starts;
   * {@code setting} is the integer setting of namespace "core" whose adopted values are recorded.
   */
  WatchedClient(HoldfastClient.Builder builder, Path cache, String setting) {
    this.cache = cache;
    this.client = builder.cacheDirectory(cache).build();
    client.addStatusListener(
        (namespace, previous, current) -> {
          synchronized (transitions) {
            transitions.add(namespace + " " + current.status() + ": " + current.reason());
          }
        });
    client.addChangeListener(
        (previous, current) -> {
          synchronized (adopted) {
            adopted.add(current.getInt(setting, -1));
          }
        });
  }

  HoldfastClient client() {
    return client;
  }

  void start() {
    client.start();
  }

  /** Every status change so far, as "namespace STATUS: reason". */
  List<String> transitions() {
    synchronized (transitions) {
      return List.copyOf(transitions);
    }
  }

  /** The status changes to anything but FRESH. */
  List<String> departures() {
    return transitions().stream().filter(t -> !t.contains(" " + Status.FRESH + ":")).toList();
  }

  /** Every value of the setting adopted so far, in order. */
  List<Integer> adopted() {
    synchronized (adopted) {
      return List.copyOf(adopted);
    }
  }

  /** The key ids that signed the documents in the disk cache. */
  List<String> cachedSigners() {
    return ClientCache.signers(cache);
  }

  /** The version of the key set in the disk cache. */
  long cachedKeySetVersion() {
    return ClientCache.keySetVersion(cache);
  }

  @Override
  public void close() {
    client.close();
  }
}
