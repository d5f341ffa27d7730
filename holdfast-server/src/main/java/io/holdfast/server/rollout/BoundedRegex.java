package io.holdfast.server.rollout;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The regular expressions of namespace schemas ({@code pattern}, {@code patternProperties}), run by
 * the JDK's engine (as the validator's default does, with its ECMA-262 adjustments) but on a budget
 * of steps. A backtracking engine can take exponential time on a pattern such as {@code ^(a+)+$};
 * every character the engine reads costs a step, and a check that runs out fails with {@link
 * TooSlowException} instead of holding a publish (or the thread) for ever.
 *
 * <p>Two uses: {@link #refusal} probes a pattern when a schema is set, so that an obviously
 * catastrophic one is refused up front; {@link #within} bounds all the matching of one validation,
 * whatever patterns and values it meets. Stateless apart from the budget of the calling thread;
 * thread-safe.
 */
final class BoundedRegex implements RegularExpressionFactory {

  /** Longest pattern accepted; patterns in configuration schemas are short. */
  static final int MAX_PATTERN_LENGTH = 1_000;

  /** Steps one probe may take; a linear pattern needs a few hundred on a probe string. */
  static final long PROBE_STEPS = 100_000;

  /** Steps all the probes of one schema may take together. */
  static final long SCHEMA_PROBE_STEPS = 20_000_000;

  /**
   * Steps all the matching of one document's validation may take together (well under a second).
   */
  static final long VALIDATION_STEPS = 50_000_000;

  /**
   * Length of the run of one character in a probe string: a pattern whose work grows with the
   * fourth power of the length, or faster, needs more than {@link #PROBE_STEPS} on it.
   */
  private static final int PROBE_RUN = 64;

  static final BoundedRegex INSTANCE = new BoundedRegex();

  private static final ThreadLocal<Budget> BUDGET = new ThreadLocal<>();

  private BoundedRegex() {}

  /** A pattern ran out of steps (or of stack) and was stopped. */
  static final class TooSlowException extends RuntimeException {
    private final String pattern;

    TooSlowException(String pattern) {
      super(null, null, false, false);
      this.pattern = pattern;
    }

    String pattern() {
      return pattern;
    }
  }

  /** Steps left to the matching under way on this thread. */
  private static final class Budget {
    private long remaining;

    Budget(long steps) {
      this.remaining = steps;
    }
  }

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = compile(regex);
    return value -> find(pattern, regex, value);
  }

  /**
   * Runs {@code work} with at most {@code steps} steps of matching, among all the patterns it uses.
   *
   * @throws TooSlowException if the matching needs more
   */
  static <T> T within(long steps, Supplier<T> work) {
    Budget previous = BUDGET.get();
    BUDGET.set(new Budget(steps));
    try {
      return work.get();
    } finally {
      if (previous == null) {
        BUDGET.remove();
      } else {
        BUDGET.set(previous);
      }
    }
  }

  /**
   * Why {@code regex} cannot be used in a schema, or {@code null} if it can: too long, not a
   * regular expression, of a {@link RegexShape refused shape}, or more than {@link #PROBE_STEPS}
   * steps on one of the probe strings (a run of a character the pattern names, or of a common one,
   * then a character that breaks the run: what makes nested quantifiers backtrack without end).
   * Each probe is charged to the caller's budget too, see {@link #within}.
   */
  static String refusal(String regex) {
    if (regex.length() > MAX_PATTERN_LENGTH) {
      return "is longer than " + MAX_PATTERN_LENGTH + " characters";
    }
    Pattern pattern;
    try {
      pattern = compile(regex);
    } catch (PatternSyntaxException e) {
      return "is not a regular expression (" + e.getDescription() + ")";
    }
    String shape = RegexShape.refusal(regex);
    if (shape != null) {
      return shape;
    }
    Budget schema = BUDGET.get();
    for (String probe : probes(regex)) {
      Budget one = new Budget(PROBE_STEPS);
      try {
        BUDGET.set(one);
        find(pattern, regex, probe);
      } catch (TooSlowException e) {
        return "backtracks without bound (more than "
            + PROBE_STEPS
            + " steps on a string of "
            + probe.length()
            + " characters); rewrite it without nested or overlapping repetition";
      } finally {
        BUDGET.set(schema);
      }
      if (schema != null) {
        schema.remaining -= PROBE_STEPS - one.remaining;
        if (schema.remaining < 0) {
          throw new TooSlowException(regex);
        }
      }
    }
    return null;
  }

  private static Pattern compile(String regex) {
    return Pattern.compile(
        RegularExpressions.replaceLongformCharacterProperties(
            RegularExpressions.replaceDollarAnchors(regex)));
  }

  private static boolean find(Pattern pattern, String regex, String value) {
    Budget budget = BUDGET.get();
    if (budget == null) {
      // Matching outside a budgeted check (the meta-schema's own patterns): linear in the value.
      budget = new Budget(PROBE_STEPS + 100L * value.length());
    }
    try {
      return pattern.matcher(new Counted(value, budget, regex)).find();
    } catch (StackOverflowError e) {
      // The JDK engine recurses once per repetition of some groups, such as (a|b)*: a long
      // enough value exhausts the stack. The recursion has unwound here; the thread is fine.
      throw new TooSlowException(regex);
    }
  }

  private static Set<String> probes(String regex) {
    Set<Character> characters = new LinkedHashSet<>();
    for (char c : "a0 A_-.@/".toCharArray()) {
      characters.add(c);
    }
    for (int i = 0; i < regex.length() && characters.size() < 40; i++) {
      char c = regex.charAt(i);
      if (Character.isLetterOrDigit(c)
          || c == ' '
          || c == '-'
          || c == '_'
          || c == ':'
          || c == ',') {
        characters.add(c);
      }
    }
    Set<String> probes = new LinkedHashSet<>();
    for (char c : characters) {
      String run = String.valueOf(c).repeat(PROBE_RUN);
      probes.add(run + "!");
      probes.add(run + "\n");
    }
    return probes;
  }

  /** The value as the engine reads it, one step per character read. */
  private record Counted(String text, Budget budget, String regex) implements CharSequence {

    @Override
    public char charAt(int index) {
      if (--budget.remaining < 0) {
        throw new TooSlowException(regex);
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Counted(text.substring(start, end), budget, regex);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
