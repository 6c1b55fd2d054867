package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.spring.boot.internal.CacheSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec strings: what parses, and errors that name the property and the setting. */
class CacheSpecTest {

  @Test
  void parsesTheIssuesExample() {
    CacheSpec spec = CacheSpec.parse("perfkit.cache.specs.users",
        "maximumSize=10000, expireAfterWrite=10m,refreshAfterWrite=1m,targetHitRatio=0.9");
    assertThat(spec.settings()).containsExactly(Map.entry("maximumSize", "10000"),
        Map.entry("expireAfterWrite", "10m"), Map.entry("refreshAfterWrite", "1m"),
        Map.entry("targetHitRatio", "0.9"));
  }

  @Test
  void blankIsNoSettings() {
    assertThat(CacheSpec.parse("p", " ").settings()).isEmpty();
    assertThat(CacheSpec.parse("p", null).settings()).isEmpty();
  }

  @Test
  void badSpecsNameThePropertyAndTheSetting() {
    assertThatThrownBy(() -> CacheSpec.parse("perfkit.cache.specs.users", "maximumSize=lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("perfkit.cache.specs.users").hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> CacheSpec.parse("perfkit.cache.default-spec", "expireAfterWrite=10x"))
        .hasMessageContaining("perfkit.cache.default-spec").hasMessageContaining("expireAfterWrite");
    assertThatThrownBy(() -> CacheSpec.parse("p", "expireAfterWrite=0s"))
        .hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> CacheSpec.parse("p", "weakKeys=true"))
        .hasMessageContaining("unknown setting 'weakKeys'");
    assertThatThrownBy(() -> CacheSpec.parse("p", "maximumSize=1,maximumSize=2"))
        .hasMessageContaining("'maximumSize' given twice");
    assertThatThrownBy(() -> CacheSpec.parse("p", "targetHitRatio=1.5"))
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> CacheSpec.parse("p", "maximumSize"))
        .hasMessageContaining("is not key=value");
  }

  @Test
  void aBadSpecFailsWhenTheManagerIsMade() {
    assertThatThrownBy(() -> new PerfkitCacheManager("cacheManager",
        Map.of("users", "maximumSize=-1"), "", true, c -> { }))
        .hasMessage("perfkit.cache.specs.users: maximumSize must be >= 0 but was -1");
  }
}
