package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor this artifact ships exports only its API package (internals go only to the
 * sibling modules that need them) and requires transitively what its public signatures use.
 */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    Path classes = Path.of(Memoizer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsOnlyTheApi() throws Exception {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("io.github.perfkit.cache");
    assertThat(module.isOpen()).isFalse();
    assertThat(module.exports().stream().filter(e -> !e.isQualified()).map(Exports::source))
        .containsExactlyInAnyOrder("io.github.perfkit.cache");
    Map<String, Set<String>> qualified = new TreeMap<>();
    module.exports().stream().filter(Exports::isQualified)
        .forEach(e -> qualified.put(e.source(), e.targets()));
    assertThat(qualified).isEqualTo(Map.of());
    assertThat(module.opens()).isEmpty();
  }

  @Test
  void requiresTransitivelyWhatItsApiUses() throws Exception {
    Set<String> transitive = descriptor().requires().stream()
        .filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
        .map(Requires::name).collect(Collectors.toSet());
    assertThat(transitive).containsExactlyInAnyOrder("io.github.perfkit.core", "com.github.benmanes.caffeine");
  }
}
