package io.holdfast.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

  @Test
  void parse_readsTheThreeKinds() {
    assertThat(Scope.parse("default")).isSameAs(Scope.DEFAULT);
    assertThat(Scope.parse("ring:live"))
        .isEqualTo(new Scope(Scope.Kind.RING, "live"))
        .isEqualTo(Scope.ring("live"));
    assertThat(Scope.parse("instance:acme-prod"))
        .isEqualTo(new Scope(Scope.Kind.INSTANCE, "acme-prod"))
        .isEqualTo(Scope.instance("acme-prod"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"default", "ring:live", "ring:beta-2", "instance:acme-prod", "instance:a"})
  void key_isTheFormParseReads(String text) {
    Scope scope = Scope.parse(text);

    assertThat(scope.key()).isEqualTo(text);
    assertThat(scope.toString()).isEqualTo(text);
    assertThat(Scope.parse(scope.key())).isEqualTo(scope);
  }

  @Test
  void ringAndInstanceScopesWithTheSameTarget_differ() {
    assertThat(Scope.ring("acme")).isNotEqualTo(Scope.instance("acme"));
    assertThat(Scope.ring("acme").key()).isNotEqualTo(Scope.instance("acme").key());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "Default",
        "DEFAULT",
        "default ",
        "global",
        "ring",
        "ring:",
        "ring:../x",
        "ring:live/../../x",
        "ring:Live",
        "instance:",
        "instance:ACME",
        "instance:../../etc/passwd",
        "instance:a b",
        "ring:live:extra",
        "namespace:core",
        ":live",
        "ring :live"
      })
  void anythingElse_isAnInvalidName(String text) {
    assertThatThrownBy(() -> Scope.parse(text)).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void factories_validateTheTarget() {
    assertThatThrownBy(() -> Scope.ring("../x"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageStartingWith("ring '");
    assertThatThrownBy(() -> Scope.instance("Acme"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageStartingWith("instance id '");
  }

  @Test
  void unknownForm_isExplainedInTheMessage() {
    assertThatThrownBy(() -> Scope.parse("global"))
        .hasMessage("layer scope must be default, ring:<name> or instance:<id>; was 'global'");
  }

  @Test
  void kindsAreDeclaredInMergeOrder() {
    assertThat(Scope.Kind.values())
        .containsExactly(Scope.Kind.DEFAULT, Scope.Kind.RING, Scope.Kind.INSTANCE);
  }

  @Test
  void missingKindOrTarget_isRefused() {
    assertThatThrownBy(() -> new Scope(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Scope(Scope.Kind.RING, null))
        .isInstanceOf(NullPointerException.class);
  }
}
