package io.holdfast.cli.upgrade;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The outcomes of signature verifications already run, by everything an outcome depends on, at most
 * {@code capacity} of them, the least recently used forgotten first. An Ed25519 verification is a
 * pure function of key, message and signature, so a remembered outcome, true or false, is the
 * outcome a new verification would give.
 *
 * <p>Thread-safe. Verifications run outside the lock: two workers meeting a new root at once may
 * both verify it, which costs a verification and is never wrong.
 */
final class SignatureVerdicts {

  private final Map<Signed, Boolean> remembered; // guarded by this
  private final AtomicLong computed = new AtomicLong();

  SignatureVerdicts(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity);
    }
    this.remembered =
        new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Signed, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The remembered outcome for {@code signed}, else {@code verification}'s, now remembered. */
  boolean verdict(Signed signed, BooleanSupplier verification) {
    synchronized (this) {
      Boolean known = remembered.get(signed);
      if (known != null) {
        return known;
      }
    }
    boolean verified = verification.getAsBoolean();
    computed.incrementAndGet();
    synchronized (this) {
      remembered.put(signed, verified);
    }
    return verified;
  }

  /** How many verifications were run rather than remembered. */
  long computed() {
    return computed.get();
  }

  /** How many outcomes are remembered now. */
  synchronized int size() {
    return remembered.size();
  }

  /**
   * What a verification depends on besides the key's bytes, which its id names (derived from them,
   * and one key per id among those trusted). Byte buffers, read-only copies, for their
   * content-based equality.
   *
   * @param messageSha256 the SHA-256 of the signed message
   */
  record Signed(String keyId, String algorithm, ByteBuffer messageSha256, ByteBuffer signature) {

    Signed(String keyId, String algorithm, byte[] messageSha256, byte[] signature) {
      this(
          Objects.requireNonNull(keyId, "keyId"),
          Objects.requireNonNull(algorithm, "algorithm"),
          ByteBuffer.wrap(messageSha256.clone()).asReadOnlyBuffer(),
          ByteBuffer.wrap(signature.clone()).asReadOnlyBuffer());
    }
  }
}
