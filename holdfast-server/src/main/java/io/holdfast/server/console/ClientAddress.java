package io.holdfast.server.console;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.holdfast.server.config.TrustedProxies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address a console request comes from, as the login throttle and the audit log name it.
 *
 * <p>The direct peer, unless it is a trusted proxy ({@link TrustedProxies}): then the forwarded
 * chain is read, {@code Forwarded} (RFC 7239) if present, else {@code X-Forwarded-For}. Each proxy
 * appends the peer it saw, so the chain is walked from its end, skipping trusted proxies; the first
 * other entry is the client. Entries further left were written by the client itself and are never
 * believed. Without trusted proxies the headers are ignored, so nobody can pose as another address,
 * or spread failures over made-up ones. Thread-safe.
 */
final class ClientAddress {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** Longest forwarded entry used as a throttle key; longer ones are cut. */
  private static final int MAX_ENTRY = 64;

  private final TrustedProxies trusted;

  ClientAddress(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  String of(ServerRequest req) {
    SocketAddress peer = req.remotePeer().address();
    InetAddress peerAddress = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    String direct = peerAddress != null ? peerAddress.getHostAddress() : String.valueOf(peer);
    if (!trusted.trusts(peerAddress)) {
      return direct;
    }
    // Several header lines are one list, in order (RFC 9110 section 5.3).
    List<String> chain =
        req.headers().contains(HeaderNames.FORWARDED)
            ? forwardedFor(String.join(",", req.headers().values(HeaderNames.FORWARDED)))
            : split(
                req.headers().contains(HeaderNames.X_FORWARDED_FOR)
                    ? String.join(",", req.headers().values(HeaderNames.X_FORWARDED_FOR))
                    : "");
    for (int i = chain.size() - 1; i >= 0; i--) {
      String entry = chain.get(i);
      InetAddress address = literal(entry);
      if (address == null) {
        // "unknown", an obfuscated name or garbage: the client behind it has no usable address.
        return entry.length() > MAX_ENTRY ? entry.substring(0, MAX_ENTRY) : entry;
      }
      if (!trusted.trusts(address)) {
        return address.getHostAddress();
      }
    }
    return direct;
  }

  /**
   * The {@code for=} values of a {@code Forwarded} header, in order, without quotes, brackets or
   * ports.
   */
  private static List<String> forwardedFor(String header) {
    List<String> found = new ArrayList<>();
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
          found.add(node(pair.substring(eq + 1).strip()));
        }
      }
    }
    return found;
  }

  private static String node(String value) {
    String v = value;
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      return close > 0 ? v.substring(1, close) : v;
    }
    int colon = v.indexOf(':');
    // One colon is an IPv4 address with a port; more is a bare IPv6 address.
    return colon > 0 && v.indexOf(':', colon + 1) < 0 ? v.substring(0, colon) : v;
  }

  private static List<String> split(String header) {
    List<String> found = new ArrayList<>();
    for (String entry : header.split(",")) {
      if (!entry.isBlank()) {
        found.add(node(entry.strip()));
      }
    }
    return found;
  }

  /** The entry as an address if it is an IP literal; never a DNS lookup. */
  private static InetAddress literal(String entry) {
    if (entry.length() > 45 || !(IPV4.matcher(entry).matches() || IPV6.matcher(entry).matches())) {
      return null;
    }
    try {
      return InetAddress.getByName(entry);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
