package io.holdfast.server.edge;

import java.nio.charset.StandardCharsets;

/**
 * A request line ({@code method SP request-target SP HTTP-version}, RFC 9112 section 3) and what to
 * do with it. Parsing never throws: every input gets a {@link Verdict}. Immutable.
 */
record RequestLine(Verdict verdict, String method, String target, String version) {

  enum Verdict {
    HTTP_1_1,
    HTTP_1_0,
    OTHER_VERSION,
    BAD_METHOD,
    MALFORMED
  }

  /**
   * @param line the line without its CRLF
   */
  static RequestLine parse(byte[] line) {
    String text = new String(line, StandardCharsets.ISO_8859_1);
    int firstSpace = text.indexOf(' ');
    int lastSpace = text.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace || lastSpace == text.length() - 1) {
      return new RequestLine(Verdict.MALFORMED, "", "", "");
    }
    String method = text.substring(0, firstSpace);
    String target = text.substring(firstSpace + 1, lastSpace);
    String version = text.substring(lastSpace + 1);
    if (!isToken(method)) {
      return new RequestLine(Verdict.BAD_METHOD, method, target, version);
    }
    if (target.isEmpty() || target.indexOf(' ') >= 0 || !isVisible(target)) {
      return new RequestLine(Verdict.MALFORMED, method, target, version);
    }
    return switch (version) {
      case "HTTP/1.1" -> new RequestLine(Verdict.HTTP_1_1, method, target, version);
      case "HTTP/1.0" -> new RequestLine(Verdict.HTTP_1_0, method, target, version);
      default ->
          new RequestLine(
              isHttpVersion(version) ? Verdict.OTHER_VERSION : Verdict.MALFORMED,
              method,
              target,
              version);
    };
  }

  /** The same request as an HTTP/1.1 request line, CRLF included. */
  byte[] asHttp11() {
    return (method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisible(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** {@code HTTP/DIGIT.DIGIT} (RFC 9112 section 2.3). */
  private static boolean isHttpVersion(String v) {
    return v.length() == 8
        && v.startsWith("HTTP/")
        && Character.isDigit(v.charAt(5))
        && v.charAt(6) == '.'
        && Character.isDigit(v.charAt(7));
  }
}
