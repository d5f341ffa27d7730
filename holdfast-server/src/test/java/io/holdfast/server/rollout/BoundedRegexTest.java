package io.holdfast.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which patterns a schema may hold: the everyday ones of configuration schemas are accepted, the
 * shapes that backtrack catastrophically on some engine are refused, and matching on a budget stops
 * instead of running on.
 */
class BoundedRegexTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "^[a-z][a-z0-9-]{0,62}(\\.[a-z][a-z0-9-]{0,62})*$",
        "^\\d{1,3}(\\.\\d{1,3}){3}$",
        "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
        "^(https?://)?[a-z.]+(:[0-9]+)?(/[a-z0-9_-]*)*$",
        "^(?<year>\\d{4})-(?:0[1-9]|1[0-2])$",
        "(?i)^[a-z]+$",
        "^([A-F0-9]{2})+$",
        "^(ab|cd)*$",
        "^\\p{L}+$",
        "^[\\[\\]()]+$",
        "^x-[a-z]+$",
        "^(\\w+)(\\s\\w+)*$",
        "^([a-z0-9-]+,)*[a-z0-9-]+$",
        "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
            + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$",
        "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
      })
  void everydayPatterns_areAccepted(String pattern) {
    assertThat(BoundedRegex.refusal(pattern)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "^(a+)+$",
        "^(\\d+)*$",
        "^([a-z]*)*$",
        "^(\\w+\\s?)+$",
        "(x+x+)+y",
        "^(.*){1,32000}[bc]",
        "^((ab)*)+$",
        "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
        "^(a+)\\1$",
        "^(?<x>a)\\k<x>$"
      })
  void catastrophicShapes_andBackreferences_areRefused(String pattern) {
    assertThat(BoundedRegex.refusal(pattern)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"^(a+)++$", "^(?:\\.[a-z]+)*$"})
  void possessiveOrSeparatedRepetition_isAccepted(String pattern) {
    assertThat(BoundedRegex.refusal(pattern)).isNull();
  }

  @Test
  void matchingOnABudget_stops_whateverThePattern() {
    var regex = BoundedRegex.INSTANCE.getRegularExpression("(.*a){12}");
    String value = "a".repeat(11) + "x".repeat(3000);
    long started = System.nanoTime();

    assertThatThrownBy(() -> BoundedRegex.within(1_000_000, () -> regex.matches(value)))
        .isInstanceOf(BoundedRegex.TooSlowException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(BoundedRegex.within(1_000_000, () -> regex.matches("a".repeat(12)))).isTrue();
  }
}
