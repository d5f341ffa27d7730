package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.RootKeys;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a new key set inherits from the one published before it ({@code sign-keyset --previous}): a
 * higher version, the same root, every revocation, and the recovery marker. Clients refuse a key
 * set that drops the marker or goes back in version, and a revocation left out would trust the key
 * again; carrying them here keeps an operator from having to remember each by hand.
 */
final class KeySetSuccession {

  private final KeySet previous;
  private final Path file;

  KeySetSuccession(KeySet previous, Path file) {
    this.previous = previous;
    this.file = file;
  }

  /** One line for the output: which key set this one follows. */
  String describe() {
    return "follows key set version "
        + previous.version()
        + " ("
        + file
        + "): its revocations and recovery marker are carried over";
  }

  /** The given version, which must be higher than the previous one, or the next one. */
  long version(Long given) {
    if (given == null) {
      return previous.version() + 1;
    }
    if (given <= previous.version()) {
      throw new IllegalArgumentException(
          "--version "
              + given
              + " is not above the version of the previous key set "
              + file
              + " ("
              + previous.version()
              + "); clients would refuse it as a rollback");
    }
    return given;
  }

  /** Refuses to sign with another root than the one the previous key set names. */
  void requireSigningRoot(RootKeys signingRoot) {
    if (!previous.root().equals(signingRoot)) {
      throw new IllegalArgumentException(
          "the previous key set "
              + file
              + " names the root "
              + RootText.ids(previous.root())
              + ", which must sign the next one; --root is "
              + RootText.ids(signingRoot));
    }
  }

  /** The revocations given and every one of the previous key set. */
  SortedSet<String> revoked(Collection<String> given) {
    SortedSet<String> all = new TreeSet<>(given);
    all.addAll(previous.revoked());
    return all;
  }

  /**
   * The recovery marker: the one given, if it does not go back from the previous one, or else the
   * previous one carried over.
   */
  Optional<KeySet.Recovery> recovery(Optional<KeySet.Recovery> given) {
    if (previous.recovery().isEmpty()) {
      return given;
    }
    KeySet.Recovery held = previous.recovery().get();
    if (given.isEmpty()) {
      return previous.recovery();
    }
    KeySet.Recovery next = given.get();
    if (next.epoch() < held.epoch()
        || (next.epoch() == held.epoch() && !next.equals(held))
        || !next.keyIds().containsAll(held.keyIds())) {
      throw new IllegalArgumentException(
          "the recovery marker goes back from the previous key set's (epoch "
              + held.epoch()
              + ", "
              + String.join(", ", held.keyIds())
              + "): give a higher epoch naming those key ids too, or the same marker");
    }
    return given;
  }
}
