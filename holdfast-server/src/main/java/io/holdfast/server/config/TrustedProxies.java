package io.holdfast.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose word on a client's address a replica takes ({@code trusted-proxies}): CIDR
 * blocks such as {@code 10.0.0.0/8}, {@code 127.0.0.1/32} or {@code ::1/128}. Only when the direct
 * peer lies in one of them are {@code Forwarded} and {@code X-Forwarded-For} read; anyone else
 * could write those headers to pose as any address. Empty by default: nobody is trusted. Immutable.
 */
public final class TrustedProxies {

  /** Trusts nobody: the direct peer is the client. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  /**
   * Literal addresses only, so that parsing never resolves a host name; IPv4 in full dotted quads
   * (the JDK would take {@code 10.0.0} for {@code 10.0.0.0}).
   */
  static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;
  private final List<String> text;

  private TrustedProxies(List<Block> blocks, List<String> text) {
    this.blocks = blocks;
    this.text = text;
  }

  /**
   * Parses CIDR blocks; a bare address is a block of one.
   *
   * @throws ConfigException naming the entry that is not a CIDR block of literal addresses
   */
  public static TrustedProxies of(List<String> cidrs) {
    List<Block> blocks = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (String raw : cidrs) {
      String cidr = raw.strip();
      if (cidr.isEmpty()) {
        continue;
      }
      int slash = cidr.indexOf('/');
      String address = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] network = literal(address, raw);
      int prefix = network.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new ConfigException(
              "trusted-proxies: '" + raw + "' has a prefix length outside 0-" + network.length * 8);
        }
      }
      blocks.add(new Block(network, prefix));
      text.add(cidr);
    }
    return new TrustedProxies(List.copyOf(blocks), List.copyOf(text));
  }

  /** Whether {@code peer} is one of the trusted proxies. */
  public boolean trusts(InetAddress peer) {
    if (peer == null) {
      return false;
    }
    byte[] address = peer.getAddress();
    for (Block block : blocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** The blocks as configured. */
  public List<String> cidrs() {
    return text;
  }

  @Override
  public String toString() {
    return String.join(",", text);
  }

  private static byte[] literal(String address, String raw) {
    if (!(IPV4.matcher(address).matches() || IPV6.matcher(address).matches())) {
      throw new ConfigException(
          "trusted-proxies: '" + raw + "' is not a CIDR block such as 10.0.0.0/8 or ::1/128");
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(
          "trusted-proxies: '" + raw + "' is not a CIDR block such as 10.0.0.0/8 or ::1/128");
    }
  }
}
