package io.holdfast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.document.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The protocol module exports every package it has, each deliberately: all of them are wire types.
 */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws IOException {
    if (Envelope.class.getModule().isNamed()) {
      return Envelope.class.getModule().getDescriptor();
    }
    try (InputStream in = Envelope.class.getResourceAsStream("/module-info.class")) {
      assertThat(in).as("module-info.class").isNotNull();
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsExactlyTheWirePackages_toEveryone() throws IOException {
    ModuleDescriptor module = descriptor();

    assertThat(module.name()).isEqualTo("io.holdfast.protocol");
    assertThat(module.exports())
        .allMatch(e -> !e.isQualified(), "unqualified")
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(
            "io.holdfast.protocol.document",
            "io.holdfast.protocol.http",
            "io.holdfast.protocol.json",
            "io.holdfast.protocol.keyset",
            "io.holdfast.protocol.problem",
            "io.holdfast.protocol.signature",
            "io.holdfast.protocol.tls");
    assertThat(module.opens()).isEmpty();
  }
}
