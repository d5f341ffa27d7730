package io.holdfast.server.store;

import io.holdfast.server.audit.AuditChainVerifier;
import io.holdfast.server.audit.AuditCheckpoint;
import io.holdfast.server.audit.AuditVerification;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This store's checkpoint in the audit chain: the last row it found intact, so that the check
 * beside every audit listing reads only the rows written since (and the checkpoint row again), not
 * the whole log. Re-walking the whole chain cost 130 ms at 8,000 rows, and twenty admins listing at
 * once slowed instance reads to seconds.
 *
 * <p>The checkpoint lives in this process's memory only: a row in the database saying "verified up
 * to here" could be edited along with the rows it vouches for. A new process starts from row 1
 * once. A full walk ({@link ConfigStore#verifyAuditLog}) still reads every row, and finds tampering
 * before the checkpoint too. A broken chain keeps the checkpoint where it was, so each check meets
 * the break again without re-reading what came before it. One check runs at a time, so that
 * concurrent listings after a start do not each walk the whole log. Thread-safe.
 */
final class AuditChain {

  /** Reads rows into a walk; the transaction is the caller's. */
  @FunctionalInterface
  interface Walk {
    AuditVerification run(AuditChainVerifier verifier);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private AuditCheckpoint checkpoint;

  /** Checks the rows from the checkpoint on, and moves the checkpoint to the last intact row. */
  AuditVerification checkSinceCheckpoint(Walk walk) {
    lock.lock();
    try {
      AuditChainVerifier verifier = AuditChainVerifier.from(checkpoint);
      return advance(verifier, walk.run(verifier));
    } finally {
      lock.unlock();
    }
  }

  /** Checks every row from row 1; an intact chain moves the checkpoint to its end. */
  AuditVerification checkAll(Walk walk) {
    AuditChainVerifier verifier = new AuditChainVerifier();
    AuditVerification result = walk.run(verifier);
    lock.lock();
    try {
      return advance(verifier, result);
    } finally {
      lock.unlock();
    }
  }

  private AuditVerification advance(AuditChainVerifier verifier, AuditVerification result) {
    AuditCheckpoint reached = verifier.checkpoint();
    if (reached != null && (checkpoint == null || reached.seq() >= checkpoint.seq())) {
      checkpoint = reached;
    }
    return result;
  }
}
