package io.holdfast.cli.fleet;

/** A running fleet of instances that read their configuration and report as real ones do. */
public interface Fleet extends AutoCloseable {

  /** The fleet now: statuses counted over its members, and its seat traffic so far. */
  FleetView view();

  /** Stops every member and every thread the fleet started. Idempotent. */
  @Override
  void close();
}
