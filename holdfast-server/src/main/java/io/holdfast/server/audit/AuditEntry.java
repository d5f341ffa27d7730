package io.holdfast.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the audit log: who did what to which target, the target before and after, and the hash
 * chain that makes rows tamper-evident.
 *
 * @param seq position in the log, from 1, without gaps
 * @param actor the credential that acted ({@code admin:<name>}), as in the revision log
 * @param action what was done, such as {@code subscription.create}
 * @param target what it was done to, such as {@code subscription:<id>}
 * @param before the target before the change, {@code null} for a creation
 * @param after the target after the change
 * @param prevHash the hash of the row before, or {@link AuditHash#GENESIS} for the first row
 * @param hash {@link AuditHash#of} over all the fields above
 */
public record AuditEntry(
    long seq,
    Instant at,
    String actor,
    String action,
    String target,
    JsonNode before,
    JsonNode after,
    String prevHash,
    String hash) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }
}
