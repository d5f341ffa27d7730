package io.holdfast.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void eachRoleIncludesTheLessPrivilegedOnes() {
    assertThat(Role.ADMIN.includes(Role.PUBLISHER)).isTrue();
    assertThat(Role.PUBLISHER.includes(Role.EDITOR)).isTrue();
    assertThat(Role.EDITOR.includes(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.includes(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.includes(Role.EDITOR)).isFalse();
    assertThat(Role.EDITOR.includes(Role.PUBLISHER)).isFalse();
    assertThat(Role.PUBLISHER.includes(Role.ADMIN)).isFalse();
  }

  @Test
  void wireNames_roundTrip() {
    for (Role role : Role.values()) {
      assertThat(Role.fromWire(role.wireName())).isSameAs(role);
    }
    assertThat(Role.PUBLISHER.wireName()).isEqualTo("publisher");
  }

  @Test
  void unknownWireName_isRejectedListingTheAcceptedOnes() {
    assertThatThrownBy(() -> Role.fromWire("ADMIN"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must be one of viewer, editor, publisher, admin; was ADMIN");
    assertThatThrownBy(() -> Role.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
