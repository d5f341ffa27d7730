package io.holdfast.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  private static final String SIXTY_THREE = "a".repeat(63);
  private static final String SIXTY_FOUR = "a".repeat(64);

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "core", "acme-prod", "a1-b2-c3", "9lives", "a--b"})
  void dnsLabelLikeNames_areValid(String name) {
    assertThat(Names.isValid(name)).isTrue();
    assertThat(Names.require("instance id", name)).isSameAs(name);
  }

  @Test
  void sixtyThreeCharacters_isTheLongestValidName() {
    assertThat(Names.isValid(SIXTY_THREE)).isTrue();
    assertThat(Names.isValid(SIXTY_FOUR)).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "../x",
        "..",
        ".",
        "a/b",
        "a\\b",
        "x/../../etc",
        "%2e%2e",
        "Acme",
        "ACME",
        "acme-Prod",
        "-a",
        "a-",
        "-",
        "a_b",
        "a.b",
        "a b",
        " a",
        "a ",
        "a\n",
        "\ta",
        "caf\u00e9",
        "a:b",
        "ring:live",
        "a;drop"
      })
  void namesOutsideTheRule_areInvalid(String name) {
    assertThat(Names.isValid(name)).isFalse();
    assertThatThrownBy(() -> Names.require("namespace name", name))
        .isInstanceOf(InvalidNameException.class);
  }

  @Test
  void rejection_saysWhatTheNameWasForAndWhatIsAllowed() {
    assertThatThrownBy(() -> Names.require("ring", "../x"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage(
            "ring '../x' is invalid: use 1-63 lower-case letters, digits and inner hyphens");
  }

  @Test
  void rejectionOfAVeryLongValue_abbreviatesIt() {
    String huge = "X".repeat(10_000);

    assertThatThrownBy(() -> Names.require("instance id", huge))
        .hasMessageContaining("X".repeat(80) + "\u2026")
        .hasMessageNotContaining("X".repeat(81));
  }

  @Test
  void rejectionOfNull_saysNull() {
    assertThatThrownBy(() -> Names.require("instance id", null))
        .hasMessageStartingWith("instance id 'null' is invalid");
  }
}
