package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws IOException {
    if (FixedConfig.class.getModule().isNamed()) {
      return FixedConfig.class.getModule().getDescriptor();
    }
    try (InputStream in = FixedConfig.class.getResourceAsStream("/module-info.class")) {
      assertThat(in).as("module-info.class").isNotNull();
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsOnlyTheTestkit_andGivesItsUsersTheClient() throws IOException {
    ModuleDescriptor module = descriptor();

    assertThat(module.name()).isEqualTo("io.holdfast.testkit");
    assertThat(module.exports())
        .allMatch(e -> !e.isQualified(), "unqualified")
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("io.holdfast.testkit");
    assertThat(module.requires())
        .anyMatch(
            r ->
                r.name().equals("io.holdfast.client")
                    && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
  }
}
