package io.holdfast.server.config;

import java.util.regex.Pattern;

/**
 * JDBC URLs as they may be shown: in logs, in error messages, in a configuration's {@code
 * toString()}. A URL may carry a password, as a parameter ({@code ?password=…}, {@code
 * &sslpassword=…}, {@code ;password=…}) or in its user information ({@code //user:password@host});
 * {@link #redact} replaces the secret, and only the secret, with {@value #MASK}, so the URL still
 * says which database and which user (FAULTS D14).
 */
public final class JdbcUrls {

  /** What stands in place of a secret. */
  public static final String MASK = "***";

  /** A parameter whose name says it holds a secret, up to the next separator. */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "([?&;][^=&;?#]*(?:password|passwd|pwd|secret|token)[^=&;?#]*=)[^&;#]*",
          Pattern.CASE_INSENSITIVE);

  /** The password of {@code //user:password@host}. */
  private static final Pattern USER_PASSWORD = Pattern.compile("(//[^/@:?;#]*:)[^/@?;#]*@");

  private JdbcUrls() {}

  /**
   * {@code url} with every password it carries replaced by {@value #MASK}; {@code null} stays
   * {@code null}.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String withoutUserPassword = USER_PASSWORD.matcher(url).replaceAll("$1" + MASK + "@");
    return SECRET_PARAMETER.matcher(withoutUserPassword).replaceAll("$1" + MASK);
  }
}
