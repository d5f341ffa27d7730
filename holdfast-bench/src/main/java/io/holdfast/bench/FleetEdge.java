package io.holdfast.bench;

import io.holdfast.server.config.EdgeSettings;

/**
 * Edge settings for a replica that takes a whole simulated fleet from this one host: every instance
 * connects from 127.0.0.1, so the per-address connection cap that guards a replica against one
 * flooding host would refuse most of the fleet. It is raised to the replica-wide cap; the rest are
 * the defaults.
 */
public final class FleetEdge {

  private FleetEdge() {}

  public static EdgeSettings oneHost() {
    return new EdgeSettings(
        EdgeSettings.DEFAULT_IDLE_TIMEOUT,
        EdgeSettings.DEFAULT_HEADER_TIMEOUT,
        EdgeSettings.DEFAULT_REQUEST_TIMEOUT,
        EdgeSettings.DEFAULT_MAX_CONNECTIONS,
        EdgeSettings.DEFAULT_MAX_CONNECTIONS,
        EdgeSettings.DEFAULT_MAX_WATCHES_PER_INSTANCE,
        EdgeSettings.DEFAULT_MAX_REQUESTS_PER_INSTANCE,
        EdgeSettings.DEFAULT_MAX_ADMIN_REQUESTS);
  }
}
