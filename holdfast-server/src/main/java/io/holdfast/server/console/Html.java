package io.holdfast.server.console;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds HTML text in which everything that did not come from a literal in this package is escaped:
 * text and attribute values always are, and tag and attribute names must be plain lower-case words,
 * so a hostile instance name or layer value can never become markup. Fragments built by other
 * {@code Html} objects are appended as they are, having been escaped when they were built. Not
 * thread-safe; build one per response.
 */
final class Html {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  private final StringBuilder out = new StringBuilder(1024);

  /**
   * Opens {@code tag}; {@code attributes} are name/value pairs, a {@code null} value omits the
   * pair.
   */
  Html open(String tag, String... attributes) {
    out.append('<').append(name(tag));
    attributes(attributes);
    out.append('>');
    return this;
  }

  Html close(String tag) {
    out.append("</").append(name(tag)).append('>');
    return this;
  }

  /** An element with text content: {@code <tag attributes>text</tag>}. */
  Html element(String tag, Object text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  /** A void element such as {@code input} or {@code link}, which has no content or end tag. */
  Html empty(String tag, String... attributes) {
    return open(tag, attributes);
  }

  /**
   * Opens a table with one header row of {@code headings} and its body; end it with {@link
   * #endTable()}. {@code attributes} as for {@link #open}.
   */
  Html table(List<String> headings, String... attributes) {
    open("table", attributes).open("thead").open("tr");
    for (String heading : headings) {
      element("th", heading, "scope", "col");
    }
    return close("tr").close("thead").open("tbody");
  }

  Html endTable() {
    return close("tbody").close("table");
  }

  /** Escaped text; {@code null} writes nothing. */
  Html text(Object value) {
    if (value != null) {
      escape(String.valueOf(value), out);
    }
    return this;
  }

  /** A fragment built, and escaped, by another builder. */
  Html append(Html fragment) {
    out.append(fragment.out);
    return this;
  }

  /** The HTML5 doctype, which only a whole page starts with. */
  Html doctype() {
    out.append("<!DOCTYPE html>");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** {@code value} escaped for text content and double-quoted attribute values alike. */
  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 16);
    escape(value, escaped);
    return escaped.toString();
  }

  private void attributes(String[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] == null) {
        continue;
      }
      out.append(' ').append(name(attributes[i])).append("=\"");
      escape(attributes[i + 1], out);
      out.append('"');
    }
  }

  private static String name(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain tag or attribute name: " + name);
    }
    return name;
  }

  private static void escape(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }
}
