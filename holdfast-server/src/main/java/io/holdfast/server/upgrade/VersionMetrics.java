package io.holdfast.server.upgrade;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code holdfast_replica_info{version, schema, store_schema}}: always 1, labelled with what the
 * replica runs, so that a dashboard or alert can tell which replicas run which release during a
 * rolling upgrade (the usual Prometheus "info" pattern). Stateless.
 */
public final class VersionMetrics {

  private VersionMetrics() {}

  public static void bind(MeterRegistry registry, ReplicaVersion version) {
    Gauge.builder("holdfast.replica.info", () -> 1)
        .description("Always 1; the labels say which release and schema this replica runs")
        .tag("version", version.release())
        .tag("schema", Integer.toString(version.schema().understood()))
        .tag("store_schema", Integer.toString(version.schema().store()))
        .register(registry);
  }
}
