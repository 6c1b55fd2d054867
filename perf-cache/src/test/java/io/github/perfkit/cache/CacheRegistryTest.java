package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CacheRegistryTest {

  @Test
  void textAndJsonListEveryCacheWithItsFigures() {
    CacheRegistry registry = new CacheRegistry();
    MemoizedFunction<Integer, Integer> squares = Memoizer.named("squares").registry(registry)
        .build(x -> x * x);
    MemoizedSupplier<String> config = Memoizer.named("config").registry(registry)
        .buildSupplier(() -> "cfg");
    for (int i = 0; i < 4; i++) {
      squares.apply(i % 2); // 2 misses, 2 hits
    }
    config.get();
    assertThat(registry.caches()).extracting(MemoizedCache::name).containsExactly("squares", "config");
    String text = registry.text();
    assertThat(text.lines().toList()).hasSize(3);
    assertThat(text).containsPattern("squares +2 +4 +0\\.500")
        .containsPattern("config +1 +1 +0\\.000");
    String json = registry.json();
    assertThat(json).startsWith("{\"schema\":\"perfkit.caches/1\",\"caches\":[")
        .contains("{\"name\":\"squares\",\"size\":2,\"hits\":2,\"misses\":2,\"hitRatio\":0.5")
        .contains("{\"name\":\"config\",\"size\":1,\"hits\":0,\"misses\":1")
        .contains("\"loadSuccesses\":2").endsWith("]}");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Memoizer.named("squares").registry(registry).build(x -> x))
        .withMessageContaining("'squares' is already registered");
  }
}
