package io.holdfast.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Validates every response header that is not pre-encoded, as Helidon's own check would, just
 * before the header block is written; Helidon's check is switched off ({@code
 * validateResponseHeaders(false)} in {@link HttpApi}) because it validated the pre-encoded ones
 * too, on every response.
 *
 * <p>Why: a pre-encoded header ({@link HeaderValues#createCached}) is built once, from a constant
 * or a served document's own validators ({@link DocumentHeaders}), and is validated when it is
 * built; validating it again character by character on every response was a tenth of a document
 * read's CPU (issue 21, {@code Header.validate}). Any other header, one that a handler built from a
 * string it was given, is still validated here, in the same call that writes it (Helidon's {@code
 * Http1ServerResponse} tells the send listeners the headers and then writes them), so an invalid
 * value still fails the response before a byte of it is written. Stateless.
 */
final class ResponseHeaderCheck implements Http1ConnectionListener {

  /** Helidon's class of pre-encoded headers, which it does not make public. */
  private static final Class<?> PRE_ENCODED =
      HeaderValues.createCached(HeaderNames.VARY, "Authorization").getClass();

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    for (Header header : headers) {
      if (header.getClass() != PRE_ENCODED) {
        header.validate();
      }
    }
  }

  /**
   * A pre-encoded header, validated now, once: the response path will not validate it again.
   *
   * @throws IllegalArgumentException if the name or value is not valid in HTTP/1.1
   */
  static Header preEncoded(io.helidon.http.HeaderName name, String value) {
    Header header = HeaderValues.createCached(name, value);
    header.validate();
    return header;
  }
}
