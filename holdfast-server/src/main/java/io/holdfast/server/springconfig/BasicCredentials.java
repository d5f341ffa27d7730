package io.holdfast.server.springconfig;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic credentials (RFC 7617) as Spring Cloud Config's client sends them from {@code
 * spring.cloud.config.username/password}: here the instance id and its token.
 *
 * @param user the instance id
 * @param password the instance's token
 */
public record BasicCredentials(String user, String password) {

  /**
   * The credentials of an {@code Authorization} value, or empty if it is not the Basic scheme or is
   * malformed (not base64, not UTF-8, no colon): the caller refuses those as it refuses a wrong
   * password.
   */
  public static Optional<BasicCredentials> parse(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String pair;
    try {
      pair =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    int colon = pair.indexOf(':');
    if (colon <= 0 || colon == pair.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + "]";
  }
}
