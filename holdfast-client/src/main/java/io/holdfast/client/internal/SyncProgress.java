package io.holdfast.client.internal;

import java.time.Instant;

/** How the sync loop is doing, as heartbeats report it. Thread-safe. */
interface SyncProgress {

  /** Why the last cycle failed, or unusable checksums, or {@code null}. */
  String lastError();

  /** When a cycle last brought every namespace up to date, or {@code null}. */
  Instant lastSuccess();
}
