package io.holdfast.server.keyset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.SignedKeySet;
import io.holdfast.server.problem.ProblemException;
import io.holdfast.server.store.AuditTable;
import io.holdfast.server.store.Database;
import io.holdfast.server.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The published key sets in the shared store, with the same transaction discipline as the other
 * JDBC stores: a publish is one write transaction that decides against the key sets stored at that
 * moment (writes are serialised across replicas), stores the new row and appends its audit entry,
 * all or nothing. The SQL is in {@link KeySetTable}; the rules in {@link KeySetAcceptance}.
 * Thread-safe: no mutable state of its own.
 */
public final class KeySetStore {

  private final Transactions transactions;
  private final Clock clock;

  public KeySetStore(Database database, Clock clock) {
    this.transactions = new Transactions(Objects.requireNonNull(database, "database"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The stored key sets of version above {@code version}, ascending, at most {@code limit}. */
  public List<StoredKeySet> after(long version, int limit) {
    return transactions.read(c -> KeySetTable.after(c, version, limit));
  }

  /**
   * Stores a signed key set if a client holding the stored chain would trust it next.
   *
   * @param bytes the signed key set as the operator sent it; stored and served exactly so
   * @throws ProblemException a 400 problem if the bytes are not a signed key set in canonical form,
   *     or the refusal of {@link KeySetAcceptance#decide}
   */
  public KeySetPublication publish(byte[] bytes, String actor) {
    SignedKeySet candidate;
    try {
      candidate = SignedKeySet.parse(bytes);
    } catch (JsonInputException e) {
      throw ProblemException.of(e);
    }
    long version = candidate.keySet().version();
    return transactions.write(
        c -> {
          Instant now = clock.instant();
          List<StoredKeySet> stored = KeySetTable.after(c, 0, Integer.MAX_VALUE);
          if (!KeySetAcceptance.decide(stored, candidate, bytes, now)) {
            return new KeySetPublication(version, false);
          }
          StoredKeySet row = new StoredKeySet(version, bytes);
          KeySetTable.insert(c, row, now, actor);
          ObjectNode before = null;
          if (!stored.isEmpty()) {
            before = JsonNodeFactory.instance.objectNode();
            before.put("version", stored.get(stored.size() - 1).version());
          }
          AuditTable.append(
              c, now, actor, "keyset.publish", "keyset:" + version, before, summary(candidate));
          return new KeySetPublication(version, true);
        });
  }

  /** What the audit log records of a key set: enough to see what changed, not the signatures. */
  private static ObjectNode summary(SignedKeySet signed) {
    KeySet keySet = signed.keySet();
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("version", keySet.version());
    node.put("issuedAt", keySet.issuedAt().toString());
    node.put("expires", keySet.expires().toString());
    ArrayNode signing = node.putArray("signingKeys");
    keySet.signingKeys().forEach(key -> signing.add(key.keyId()));
    ArrayNode revoked = node.putArray("revoked");
    keySet.revoked().forEach(revoked::add);
    ObjectNode root = node.putObject("root");
    ArrayNode rootIds = root.putArray("keyIds");
    keySet.root().keyIds().forEach(rootIds::add);
    root.put("threshold", keySet.root().threshold());
    node.put("recoveryEpoch", keySet.recoveryEpoch());
    ArrayNode signers = node.putArray("signedBy");
    signed.signatures().forEach(s -> signers.add(s.keyId()));
    return node;
  }
}
