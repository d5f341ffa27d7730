package io.holdfast.cli.gameday;

import io.holdfast.testkit.Fault;
import io.holdfast.testkit.FaultyReplica;

/**
 * One thing a game day breaks on a replica's instance-facing path, as the fault proxy in front of
 * it applies it. The replica itself is never touched: only what its clients and the probe see
 * through the proxy changes.
 */
enum Breakage {
  /**
   * The checksum data: {@code /checksums} and the long-poll {@code /watch} that signals changes of
   * it answer {@code 503}, as in the seed's incident. Documents are still served.
   */
  CHECKSUMS("checksums unavailable") {
    @Override
    void apply(FaultyReplica proxy) {
      proxy.fault("/checksums", Fault.status(503));
      proxy.fault("/watch", Fault.status(503));
    }
  },
  /** The documents: {@code /config/…} answers {@code 503}. */
  CONTENT("content unavailable") {
    @Override
    void apply(FaultyReplica proxy) {
      proxy.fault("/config/", Fault.status(503));
    }
  },
  /** Every request is read and never answered: a replica behind a dead network path. */
  BLACKHOLE("blackholed") {
    @Override
    void apply(FaultyReplica proxy) {
      proxy.fault(Fault.blackhole());
    }
  };

  private final String label;

  Breakage(String label) {
    this.label = label;
  }

  /** Adds this breakage's rules to the proxy; {@link FaultyReplica#clear()} heals it. */
  abstract void apply(FaultyReplica proxy);

  /** How the timeline names it, such as {@code checksums unavailable}. */
  String label() {
    return label;
  }
}
