package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.Memoizer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;

/** The Spring cache contract on a perfkit cache, with a fake clock for refreshAfterWrite. */
class PerfkitCacheTest {

  private final AtomicLong now = new AtomicLong();

  private PerfkitCache cache(boolean allowNulls) {
    return new PerfkitCache("c", allowNulls, loader -> Memoizer.named("c")
        .refreshAfterWrite(Duration.ofMinutes(1)).ticker(now::get).executor(Runnable::run)
        .build(loader));
  }

  @Test
  void putGetEvictClearAndNulls() {
    PerfkitCache c = cache(true);
    assertThat(c.get("k")).isNull();
    c.put("k", "v");
    assertThat(c.get("k").get()).isEqualTo("v");
    c.put("k", null);
    assertThat(c.get("k")).isNotNull().extracting(Cache.ValueWrapper::get).isNull();
    assertThat(c.evictIfPresent("k")).isTrue();
    assertThat(c.get("k")).isNull();
    c.put("a", 1);
    assertThat(c.invalidate()).isTrue();
    assertThat(c.get("a")).isNull();
    assertThatThrownBy(() -> cache(false).put("k", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aValueLoaderRunsOnceAndItsFailureIsAValueRetrievalException() {
    PerfkitCache c = cache(true);
    AtomicInteger calls = new AtomicInteger();
    assertThat(c.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(c.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThatThrownBy(() -> c.get("x", () -> {
      throw new java.io.IOException("down");
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseMessage("down");
    assertThat(c.get("x")).isNull(); // a failure is not cached
  }

  @Test
  void withAValueLoaderAStaleEntryIsRecomputedByTheReadThatFindsIt() {
    PerfkitCache c = cache(true);
    AtomicInteger calls = new AtomicInteger();
    assertThat(c.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(c.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v2");
    assertThat(c.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v2");
  }

  @Test
  void withoutAValueLoaderAStaleEntryIsServedOnceThenDropped() {
    PerfkitCache c = cache(true);
    c.put("k", "v1");
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(c.get("k").get()).isEqualTo("v1"); // stale: served, and the refresh drops it
    assertThat(c.get("k")).isNull(); // the next @Cacheable call runs the method and puts again
  }
}
