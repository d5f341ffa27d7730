package io.holdfast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The SDK is sealed: applications see the API packages, never the implementation. */
class ModuleDescriptorTest {

  /**
   * The compiled descriptor: the module's own when the tests run on the module path, else the class
   * file.
   */
  static ModuleDescriptor descriptor(Class<?> type) throws IOException {
    if (type.getModule().isNamed()) {
      return type.getModule().getDescriptor();
    }
    try (InputStream in = type.getResourceAsStream("/module-info.class")) {
      assertThat(in).as("module-info.class next to " + type.getName()).isNotNull();
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void onlyTheApiPackagesAreExported_toEveryone_andNothingIsOpen() throws IOException {
    ModuleDescriptor module = descriptor(HoldfastClient.class);

    assertThat(module.name()).isEqualTo("io.holdfast.client");
    assertThat(module.exports())
        .allMatch(e -> !e.isQualified(), "unqualified")
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("io.holdfast.client", "io.holdfast.client.seats");
    assertThat(module.packages()).contains("io.holdfast.client.internal");
    assertThat(module.opens()).isEmpty();
    assertThat(module.isOpen()).isFalse();
  }

  @Test
  void whatTheApiExposes_isReadableByApplications_throughTransitiveRequires() throws IOException {
    ModuleDescriptor module = descriptor(HoldfastClient.class);

    assertThat(
            module.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .contains("io.holdfast.protocol", "com.fasterxml.jackson.databind", "java.sql");
  }
}
