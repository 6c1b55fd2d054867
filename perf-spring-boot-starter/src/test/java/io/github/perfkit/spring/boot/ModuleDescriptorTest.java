package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Opens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The starter's module descriptor exports only its API package, keeps {@code internal} to itself,
 * and opens the API package only to Spring (which instantiates the auto-configurations).
 */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path classes = Path.of(PerfkitCacheManager.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsOnlyTheApiAndOpensItOnlyToSpring() throws Exception {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("io.github.perfkit.spring.boot");
    assertThat(module.isOpen()).isFalse();
    assertThat(module.exports()).extracting(Exports::source)
        .containsExactly("io.github.perfkit.spring.boot");
    assertThat(module.exports()).noneMatch(Exports::isQualified);
    assertThat(module.opens()).extracting(Opens::source)
        .containsExactly("io.github.perfkit.spring.boot");
    assertThat(module.opens().iterator().next().targets())
        .isEqualTo(Set.of("spring.core", "spring.beans", "spring.context"));
  }
}
