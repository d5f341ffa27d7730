package io.holdfast.cli;

/**
 * Builds {@code ?a=1&b=2} from the options that were given; absent ones are left out. Not
 * thread-safe.
 */
final class QueryString {

  private final StringBuilder query = new StringBuilder();

  QueryString add(String name, Object value) {
    if (value != null) {
      query
          .append(query.length() == 0 ? '?' : '&')
          .append(name)
          .append('=')
          .append(AdminClient.encode(value.toString()));
    }
    return this;
  }

  @Override
  public String toString() {
    return query.toString();
  }
}
