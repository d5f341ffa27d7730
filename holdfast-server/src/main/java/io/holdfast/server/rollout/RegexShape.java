package io.holdfast.server.rollout;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Two shapes of regular expression that schemas may not use, whatever the engine at hand makes of
 * them: backreferences (matching with them is NP-hard), and nested repetition without a separator,
 * such as {@code (a+)+}, {@code (\d+)*} or {@code (\w+\s?)+}. The latter is the textbook
 * catastrophic backtracking: the JDK since 9 happens to memoise the simplest cases, but JavaScript,
 * .NET or an older JDK reading the same schema do not, and a schema outlives the engine it was
 * tried on. A repeated group is fine when each repetition must contain one fixed character or
 * character class ({@code (\.[a-z]+)*}, {@code (\s\w+)*}): the scan takes any mandatory
 * single-character atom (not {@code .}) as such a separator, without checking that the repeated
 * parts cannot match it; the probes of {@link BoundedRegex} and the budget of every check cover
 * what this lets through. Stateless.
 */
final class RegexShape {

  private RegexShape() {}

  /** What one group holds so far. */
  private static final class Group {
    /** Some part repeats a variable number of times. */
    boolean repeats;

    /** Every alternative finished so far holds a mandatory single-character atom. */
    boolean separatedSoFar = true;

    /** The current alternative holds a mandatory single-character atom. */
    boolean separated;

    boolean separatedAtEnd() {
      return separatedSoFar && separated;
    }
  }

  /**
   * Why the pattern's shape is refused, or {@code null} if it is not. Expects a compiling pattern.
   */
  static String refusal(String regex) {
    Deque<Group> groups = new ArrayDeque<>();
    groups.push(new Group());
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      // The atom matches exactly one character (a literal, an escape such as \s, a class).
      boolean oneCharacter = false;
      boolean groupRepeats = false;
      boolean groupSeparated = false;
      boolean atom = true;
      if (c == '\\' && i + 1 < regex.length()) {
        char next = regex.charAt(i + 1);
        if ((next >= '1' && next <= '9') || next == 'k') {
          return "uses a backreference, which can make matching take exponential time";
        }
        if (next == 'Q') {
          int end = regex.indexOf("\\E", i + 2);
          oneCharacter = end != i + 2;
          i = end < 0 ? regex.length() : end + 2;
        } else {
          oneCharacter = "bBAzZG".indexOf(next) < 0;
          i +=
              (next == 'p' || next == 'P') && i + 2 < regex.length() && regex.charAt(i + 2) == '{'
                  ? regex.indexOf('}', i) + 1
                  : 2;
        }
      } else if (c == '[') {
        oneCharacter = true;
        i = endOfClass(regex, i);
      } else if (c == '(') {
        if (regex.startsWith("(?", i) && !isGroupOpening(regex, i)) {
          // Inline flags such as (?i): no group.
          i = regex.indexOf(')', i) + 1;
          continue;
        }
        groups.push(new Group());
        i = regex.startsWith("(?", i) ? skipGroupPrefix(regex, i) : i + 1;
        continue;
      } else if (c == ')') {
        Group closed = groups.size() > 1 ? groups.pop() : new Group();
        groupRepeats = closed.repeats;
        groupSeparated = closed.separatedAtEnd();
        i++;
      } else if (c == '|') {
        Group current = groups.peek();
        current.separatedSoFar &= current.separated;
        current.separated = false;
        i++;
        continue;
      } else if (c == '^' || c == '$') {
        atom = false;
        i++;
      } else {
        oneCharacter = c != '.';
        i++;
      }
      if (!atom) {
        continue;
      }
      Quantifier q = Quantifier.at(regex, i);
      i = q.end();
      Group current = groups.peek();
      if (q.variable() && !q.possessive() && groupRepeats && !groupSeparated) {
        return "repeats a group that itself repeats, with nothing that separates one repetition from the next"
            + " (as in (a+)+), which backtracks catastrophically";
      }
      current.repeats |= groupRepeats || (q.variable() && q.max() > 1);
      if (q.min() >= 1 && !q.variable() && (oneCharacter || groupSeparated)) {
        current.separated = true;
      }
    }
    return null;
  }

  private static boolean isGroupOpening(String regex, int i) {
    if (i + 2 >= regex.length()) {
      return false;
    }
    char kind = regex.charAt(i + 2);
    return kind == ':'
        || kind == '='
        || kind == '!'
        || kind == '<'
        || kind == '>'
        || regex.substring(i + 2, Math.max(i + 2, regex.indexOf(')', i))).contains(":");
  }

  private static int skipGroupPrefix(String regex, int i) {
    char kind = regex.charAt(i + 2);
    if (kind == '<'
        && i + 3 < regex.length()
        && regex.charAt(i + 3) != '='
        && regex.charAt(i + 3) != '!') {
      return regex.indexOf('>', i) + 1;
    }
    if (kind == '<') {
      return i + 4;
    }
    if (kind == ':' || kind == '=' || kind == '!' || kind == '>') {
      return i + 3;
    }
    return regex.indexOf(':', i) + 1;
  }

  private static int endOfClass(String regex, int start) {
    int depth = 0;
    int i = start;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']' && depth == 1) {
          i++;
        }
      } else if (c == ']' && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return regex.length();
  }

  /** A quantifier after an atom: how many times, and where the pattern goes on. */
  private record Quantifier(long min, long max, boolean possessive, int end) {

    boolean variable() {
      return max > min;
    }

    static Quantifier at(String regex, int i) {
      if (i >= regex.length()) {
        return new Quantifier(1, 1, false, i);
      }
      char c = regex.charAt(i);
      long min;
      long max;
      int end;
      if (c == '*' || c == '+' || c == '?') {
        min = c == '+' ? 1 : 0;
        max = c == '?' ? 1 : Long.MAX_VALUE;
        end = i + 1;
      } else if (c == '{' && regex.indexOf('}', i) > i) {
        String body = regex.substring(i + 1, regex.indexOf('}', i));
        if (!body.matches("\\d{1,9}(,\\d{0,9})?")) {
          return new Quantifier(1, 1, false, i);
        }
        int comma = body.indexOf(',');
        min = Long.parseLong(comma < 0 ? body : body.substring(0, comma));
        max =
            comma < 0
                ? min
                : comma == body.length() - 1
                    ? Long.MAX_VALUE
                    : Long.parseLong(body.substring(comma + 1));
        end = regex.indexOf('}', i) + 1;
      } else {
        return new Quantifier(1, 1, false, i);
      }
      boolean possessive = end < regex.length() && regex.charAt(end) == '+';
      if (end < regex.length() && (regex.charAt(end) == '?' || regex.charAt(end) == '+')) {
        end++;
      }
      return new Quantifier(min, max, possessive, end);
    }
  }
}
