package io.holdfast.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelsTest {

  @Test
  void noLabels_isAnEmptyMap() {
    assertThat(Labels.validate(null)).isEmpty();
    assertThat(Labels.validate(Map.of())).isEmpty();
  }

  @Test
  void validLabels_comeBackSortedAndUnmodifiable() {
    Map<String, String> result =
        Labels.validate(Map.of("zone", "eu-1", "app.kubernetes.io/name", "shop", "Team_A", ""));

    assertThat(result)
        .containsExactly(
            Map.entry("Team_A", ""),
            Map.entry("app.kubernetes.io/name", "shop"),
            Map.entry("zone", "eu-1"));
    assertThatThrownBy(() -> result.put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void result_isACopy() {
    Map<String, String> input = new HashMap<>(Map.of("team", "a"));
    Map<String, String> result = Labels.validate(input);

    input.put("team", "b");
    input.put("other", "c");

    assertThat(result).containsExactly(Map.entry("team", "a"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-team",
        ".team",
        "_team",
        "/team",
        "../x",
        "team name",
        "t\u00e9am",
        "team:x",
        "team=x"
      })
  void invalidKey_isRejectedNamingIt(String key) {
    assertThatThrownBy(() -> Labels.validate(Map.of(key, "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label key '" + key + "' is invalid");
  }

  @Test
  void keyLength_isAtMostSixtyThree() {
    assertThat(Labels.validate(Map.of("k".repeat(63), "v"))).hasSize(1);
    assertThatThrownBy(() -> Labels.validate(Map.of("k".repeat(64), "v")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueLength_isAtMost256() {
    assertThat(Labels.validate(Map.of("k", "v".repeat(256)))).hasSize(1);
    assertThatThrownBy(() -> Labels.validate(Map.of("k", "v".repeat(257))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label 'k' needs a value of at most 256 characters");
  }

  @Test
  void nullValueOrKey_isRejected() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");

    assertThatThrownBy(() -> Labels.validate(nullValue)).hasMessageContaining("label 'k'");
    assertThatThrownBy(() -> Labels.validate(nullKey))
        .hasMessageContaining("label key 'null' is invalid");
  }

  @Test
  void atMostSixtyFourLabels() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < Labels.MAX_LABELS; i++) {
      many.put("k" + i, "v");
    }
    assertThat(Labels.validate(many)).hasSize(64);

    many.put("one-more", "v");
    assertThatThrownBy(() -> Labels.validate(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an instance has at most 64 labels; got 65");
  }
}
