package io.holdfast.server.snapshot;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.signature.DocumentSigner;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Makes instances' checksums documents, each carrying the freshness statement of the current period
 * ({@link FreshnessStatement}) and the newest published key set's version, and re-issues a whole
 * snapshot's checksums when only those two changed. Thread-safe: holds the statement, the source of
 * the key set version and the clock.
 */
final class ChecksumsIssuer {

  /** What every checksums document of one build carries besides its instance's validators. */
  record Issue(Checksums.Validity validity, long keySetVersion) {

    /** Whether {@code snapshot}'s checksums carry this very issue. */
    boolean carriedBy(EffectiveSnapshot snapshot) {
      return snapshot.validity().equals(validity) && snapshot.keySetVersion() == keySetVersion;
    }
  }

  private final FreshnessStatement statement;
  private final LongSupplier keySetVersions;
  private final Clock clock;

  ChecksumsIssuer(FreshnessStatement statement, LongSupplier keySetVersions, Clock clock) {
    this.statement = Objects.requireNonNull(statement, "statement");
    this.keySetVersions = Objects.requireNonNull(keySetVersions, "keySetVersions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The issue a build now puts in every checksums document. */
  Issue now() {
    return new Issue(statement.at(clock.instant()), keySetVersions.getAsLong());
  }

  /**
   * An instance's checksums over {@code documents}, each listed with its revision and validators,
   * added to {@code batch} for signing.
   */
  static ServedDocument checksums(
      SignatureBatch batch,
      String instance,
      long revision,
      Instant issuedAt,
      Map<String, ServedDocument> documents,
      Issue issue) {
    TreeMap<String, Checksums.Entry> entries = new TreeMap<>();
    for (Map.Entry<String, ServedDocument> document : documents.entrySet()) {
      ServedDocument served = document.getValue();
      entries.put(
          document.getKey(),
          new Checksums.Entry(served.revision(), served.etagHeaderValue(), served.reprDigest()));
    }
    byte[] body =
        new Checksums(
                instance, revision, entries, Optional.of(issue.validity()), issue.keySetVersion())
            .toBytes();
    return batch.add(body, revision, issuedAt);
  }

  /**
   * {@code previous} with every instance's checksums issued anew ({@link #now()}) over the very
   * same documents, signed by {@code signer}: nothing is rendered, only the checksums are hashed
   * and signed, with one signature for all.
   */
  EffectiveSnapshot reissue(EffectiveSnapshot previous, DocumentSigner signer) {
    Issue issue = now();
    SignatureBatch batch = new SignatureBatch(previous.instances().size());
    Map<String, InstanceView> views = HashMap.newHashMap(previous.instances().size());
    for (InstanceView old : previous.instances().values()) {
      ServedDocument checksums =
          checksums(
              batch,
              old.id(),
              old.checksums().revision(),
              old.checksums().issuedAt(),
              old.documents(),
              issue);
      views.put(
          old.id(),
          new InstanceView(old.id(), old.ring(), old.documents(), checksums, old.credentialHash()));
    }
    batch.sign(signer);
    return new EffectiveSnapshot(
        previous.revision(),
        clock.instant(),
        Map.copyOf(views),
        previous.instancesByCredential(),
        previous.adminsByCredential(),
        previous.keyId(),
        issue.validity(),
        issue.keySetVersion());
  }
}
