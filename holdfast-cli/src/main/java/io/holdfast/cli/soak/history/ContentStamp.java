package io.holdfast.cli.soak.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The self-check the runner's publishers write into each instance's layer: its {@code owner} (the
 * instance's id), a {@code seq} number and {@code check}, the hex SHA-256 of {@code owner + ":" +
 * seq}. A client that adopted corrupted content, or another tenant's, shows it here.
 *
 * @param owner the {@code owner} member as the client read it
 * @param seq the {@code seq} member
 * @param check the {@code check} member
 */
public record ContentStamp(String owner, long seq, String check) {

  public ContentStamp {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(check, "check");
  }

  /** The stamp a publisher writes for this owner and seq. */
  public static ContentStamp of(String owner, long seq) {
    return new ContentStamp(owner, seq, checkOf(owner, seq));
  }

  /** The {@code check} value of an owner and seq: hex SHA-256 of {@code owner:seq}. */
  public static String checkOf(String owner, long seq) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((owner + ":" + seq).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Whether {@link #check()} is what {@link #owner()} and {@link #seq()} make. */
  public boolean consistent() {
    return checkOf(owner, seq).equals(check);
  }
}
