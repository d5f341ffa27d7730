package io.holdfast.server.audit;

import java.util.Objects;

/**
 * The last row of the audit chain that a walk found intact: where the next incremental walk starts.
 * The next walk reads this row again and requires the same hash, so a row rewritten or a tail cut
 * off at the checkpoint is still found.
 *
 * @param seq the row's {@code seq}
 * @param prevHash its {@code prevHash}
 * @param hash its {@code hash}
 */
public record AuditCheckpoint(long seq, String prevHash, String hash) {

  public AuditCheckpoint {
    if (seq < 1) {
      throw new IllegalArgumentException("a checkpoint is a row, from 1, was " + seq);
    }
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }
}
