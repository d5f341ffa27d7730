package io.holdfast.server.audit;

/**
 * Walks the audit log row by row, in {@code seq} order, and remembers the first row that breaks the
 * chain: a hash that does not match the row's content (the row was edited), a {@code prevHash} that
 * is not the hash of the row before (a row was removed or inserted), or a gap in {@code seq}. Fed
 * one row at a time so that a long log needs no memory.
 *
 * <p>A walk starts either at row 1 ({@link #AuditChainVerifier()}) or at a checkpoint ({@link
 * #from}): the last row an earlier walk found intact. Such a walk is fed that row first, then the
 * rows after it; the rows before it are taken as verified. The checkpoint row must still be there
 * with the same hash, so a rewritten or truncated tail is found too. Not thread-safe; one per walk.
 */
public final class AuditChainVerifier {

  private final AuditCheckpoint anchor;
  private long checked;
  private long read;
  private long expectedSeq;
  private String previousHash;
  private AuditCheckpoint last;
  private Long brokenAt;
  private String problem;

  /** A walk of the whole chain from row 1. */
  public AuditChainVerifier() {
    this.anchor = null;
    this.expectedSeq = 1;
    this.previousHash = AuditHash.GENESIS;
  }

  private AuditChainVerifier(AuditCheckpoint anchor) {
    this.anchor = anchor;
    this.checked = anchor.seq() - 1;
    this.expectedSeq = anchor.seq();
    this.previousHash = anchor.prevHash();
  }

  /** A walk that starts at {@code checkpoint}'s row; {@code null} walks from row 1. */
  public static AuditChainVerifier from(AuditCheckpoint checkpoint) {
    return checkpoint == null ? new AuditChainVerifier() : new AuditChainVerifier(checkpoint);
  }

  /** The {@code seq} of the first row this walk must be fed. */
  public long firstSeq() {
    return anchor == null ? 1 : anchor.seq();
  }

  /**
   * Checks the next row, given as stored.
   *
   * @param beforeText the stored text of {@code before}, or {@code null}
   * @param afterText the stored text of {@code after}, or {@code null}
   */
  public void accept(AuditEntry entry, String beforeText, String afterText) {
    checked++;
    read++;
    if (brokenAt == null) {
      String recomputed =
          AuditHash.of(
              entry.seq(),
              entry.at(),
              entry.actor(),
              entry.action(),
              entry.target(),
              beforeText,
              afterText,
              entry.prevHash());
      if (entry.seq() != expectedSeq) {
        fail(
            entry.seq(),
            "expected row " + expectedSeq + " but found row " + entry.seq() + ": rows are missing");
      } else if (!entry.prevHash().equals(previousHash)) {
        fail(
            entry.seq(),
            "its prevHash does not match the hash of the row before: a row was removed, inserted or"
                + " rewritten before it");
      } else if (!recomputed.equals(entry.hash())) {
        fail(
            entry.seq(),
            "its content does not match its hash: the row was changed after it was written");
      } else if (read == 1 && anchor != null && !anchor.hash().equals(entry.hash())) {
        fail(
            entry.seq(),
            "its hash is not the one it had when it was verified: the row was rewritten since");
      } else {
        last = new AuditCheckpoint(entry.seq(), entry.prevHash(), entry.hash());
      }
    }
    expectedSeq = entry.seq() + 1;
    previousHash = entry.hash();
  }

  public AuditVerification result() {
    if (anchor != null && read == 0 && brokenAt == null) {
      fail(
          anchor.seq(),
          "row "
              + anchor.seq()
              + " was verified before but is gone: rows were removed from the end");
    }
    return new AuditVerification(checked, read, brokenAt, problem, previousHash);
  }

  /**
   * Where the next walk may start: the last row of this walk if the chain held throughout, {@code
   * null} if it broke (the next walk then meets the break again) or the log is empty.
   */
  public AuditCheckpoint checkpoint() {
    return brokenAt == null ? (last != null ? last : anchor) : null;
  }

  private void fail(long seq, String why) {
    brokenAt = seq;
    problem = "row " + seq + ": " + why;
  }
}
