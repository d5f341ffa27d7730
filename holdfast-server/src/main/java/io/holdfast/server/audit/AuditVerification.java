package io.holdfast.server.audit;

/**
 * The result of walking the audit chain.
 *
 * @param checked how many rows, from row 1, the result covers: those read now and, for a walk from
 *     a checkpoint, those an earlier walk verified
 * @param read how many rows this walk read from the database
 * @param firstBrokenSeq the first row whose link or hash does not hold, or {@code null} if the
 *     chain is intact
 * @param problem what is wrong with that row, or {@code null}
 * @param lastHash the hash of the last row read ({@link AuditHash#GENESIS} for an empty log); an
 *     operator can note it down to detect a truncated tail later
 */
public record AuditVerification(
    long checked, long read, Long firstBrokenSeq, String problem, String lastHash) {

  public boolean intact() {
    return firstBrokenSeq == null;
  }
}
