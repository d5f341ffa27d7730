package io.holdfast.server.audit;

/**
 * Walks the audit log row by row, in {@code seq} order, and remembers the first row that breaks
 * the chain: a hash that does not match the row's content (the row was edited), a
 * {@code prevHash} that is not the hash of the row before (a row was removed or inserted), or a
 * gap in {@code seq}. Fed one row at a time so that a long log needs no memory. Not thread-safe;
 * one per verification.
 */
public final class AuditChainVerifier {

  private long checked;
  private long expectedSeq = 1;
  private String previousHash = AuditHash.GENESIS;
  private Long brokenAt;
  private String problem;

  /**
   * Checks the next row, given as stored.
   *
   * @param beforeText the stored text of {@code before}, or {@code null}
   * @param afterText the stored text of {@code after}, or {@code null}
   */
  public void accept(AuditEntry entry, String beforeText, String afterText) {
    checked++;
    if (brokenAt == null) {
      String recomputed = AuditHash.of(entry.seq(), entry.at(), entry.actor(), entry.action(), entry.target(),
          beforeText, afterText, entry.prevHash());
      if (entry.seq() != expectedSeq) {
        fail(entry.seq(), "expected row " + expectedSeq + " but found row " + entry.seq() + ": rows are missing");
      } else if (!entry.prevHash().equals(previousHash)) {
        fail(entry.seq(), "its prevHash does not match the hash of the row before: a row was removed, inserted or"
            + " rewritten before it");
      } else if (!recomputed.equals(entry.hash())) {
        fail(entry.seq(), "its content does not match its hash: the row was changed after it was written");
      }
    }
    expectedSeq = entry.seq() + 1;
    previousHash = entry.hash();
  }

  public AuditVerification result() {
    return new AuditVerification(checked, brokenAt, problem, previousHash);
  }

  private void fail(long seq, String why) {
    brokenAt = seq;
    problem = "row " + seq + ": " + why;
  }
}
