package io.holdfast.client;

import java.util.Map;

/**
 * What an application reads its configuration through: {@link HoldfastClient} in production, and
 * {@code holdfast-testkit}'s {@code FixedConfig}, which serves fixed documents, in the
 * application's own unit tests. Code that depends on this type, rather than on the client, can be
 * tested without a replica.
 *
 * <p>Reads never block on I/O and never throw for a configured namespace. Implementations are
 * thread-safe.
 */
public interface HoldfastConfig {

  /**
   * The namespace's current snapshot.
   *
   * @throws IllegalArgumentException if the namespace is not configured
   */
  ConfigSnapshot snapshot(String namespace);

  /** The namespace's freshness: status, since when, and why. */
  default Freshness status(String namespace) {
    return snapshot(namespace).freshness();
  }

  /** Every configured namespace's freshness, in configuration order. */
  Map<String, Freshness> statuses();

  /** Told when a namespace's content changes; never on the reading thread. */
  void addChangeListener(ChangeListener listener);

  /** Told when a namespace's status or its reason changes. */
  void addStatusListener(StatusListener listener);
}
