package io.holdfast.cli.keys;

import io.holdfast.protocol.keyset.KeySet;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** A key set as the commands print it: what holders are about to sign, or what a file holds. */
final class KeySetText {

  private KeySetText() {}

  static void print(PrintWriter out, KeySet keySet, Instant now) {
    out.println("key set version " + keySet.version() + " (" + KeySet.FORMAT + ")");
    out.println("  issued   " + keySet.issuedAt());
    out.println("  expires  " + keySet.expires() + " (" + untilText(now, keySet.expires()) + ")");
    out.println("  root     " + RootText.ids(keySet.root()) + ", which must sign the next key set");
    if (keySet.signingKeys().isEmpty()) {
      out.println("  signing keys: none (clients trust no document under this key set)");
    } else {
      out.println("  signing keys:");
      for (KeySet.SigningKey key : keySet.signingKeys()) {
        out.println(
            "    "
                + key.keyId()
                + "  from "
                + key.notBefore()
                + " until "
                + key.notAfter()
                + "  "
                + statusText(keySet.status(key.keyId(), now)));
      }
    }
    out.println(
        "  revoked  "
            + (keySet.revoked().isEmpty() ? "none" : String.join(", ", keySet.revoked())));
    keySet
        .recovery()
        .ifPresent(
            marker ->
                out.println(
                    "  recovery epoch "
                        + marker.epoch()
                        + ": revisions signed by "
                        + String.join(", ", marker.keyIds())
                        + " are void"));
  }

  private static String untilText(Instant now, Instant expires) {
    if (!now.isBefore(expires)) {
      return "EXPIRED";
    }
    Duration left = Duration.between(now, expires);
    if (left.toDays() >= 2) {
      return "in " + left.toDays() + " days";
    }
    return left.toHours() >= 2
        ? "in " + left.toHours() + " hours"
        : "in " + left.toMinutes() + " minutes";
  }

  private static String statusText(KeySet.KeyStatus status) {
    return switch (status) {
      case VALID -> "valid now";
      case NOT_YET_VALID -> "not valid yet";
      case RETIRED -> "retired";
      case KEY_SET_EXPIRED -> "not valid: the key set has expired";
      case REVOKED -> "revoked";
      case UNKNOWN -> "not listed";
    };
  }
}
