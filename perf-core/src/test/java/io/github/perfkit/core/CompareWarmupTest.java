package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Compare's adaptive warm-up, on a fake clock so every sample is known exactly. */
class CompareWarmupTest {

  /**
   * A workload three times as slow at first, getting faster over its first seconds of (fake) time
   * as code the JIT is compiling does (time constant 0.4 s).
   */
  private static final class SlowStart {
    final long[] clock = {0};
    final long cost;

    SlowStart(long cost) {
      this.cost = cost;
    }

    Integer call() {
      clock[0] += Math.round(cost * (1 + 2 * Math.exp(-clock[0] / 4e8)));
      return 1;
    }
  }

  @Test
  void defaultRunNoLongerMeasuresWhileTheJitIsCompiling() {
    SlowStart w = new SlowStart(100_000); // 100 us per call once "compiled"
    Comparison c = Compare.named("jit").baseline("a", w::call).add("b", w::call)
        .ticker(() -> w.clock[0]).build().run();
    // the old warm-up (5 rounds, 200 ms) ended at 0.2 s, when a call took 2.2x its settled time
    assertThat(c.result("a").sampleNanos()).allSatisfy(s -> assertThat(s).isBetween(1e5, 1.03e5));
    assertThat(c.result("b").sampleNanos()).allSatisfy(s -> assertThat(s).isBetween(1e5, 1.03e5));
    assertThat(c.result("b").speedup()).isBetween(0.98, 1.02);
    assertThat(c.warmup().settled()).isTrue();
    assertThat(c.warmup().nanos()).isGreaterThan(1_000_000_000L);
    assertThat(c.text()).contains("timings settled");
    assertThat(c.json()).contains("\"warmup\":{\"rounds\":").contains("\"limitHit\":false");
  }

  @Test
  void withoutTheAdaptivePartTheOldFloorsMeasuredTheSlowPhase() {
    SlowStart w = new SlowStart(100_000);
    Comparison c = Compare.named("jit").baseline("a", w::call).add("b", w::call)
        .ticker(() -> w.clock[0]).warmupLimit(Duration.ZERO).build().run();
    assertThat(c.result("a").sampleNanos().get(0)).isGreaterThan(1.5e5);
    assertThat(c.warmup().settled()).isFalse();
    assertThat(c.warmup().nanos()).isLessThan(300_000_000L);
  }

  @Test
  void limitHitIsReportedInEveryFormat() {
    long[] clock = {0};
    long[] cost = {100_000};
    Comparison c = Compare.named("drift").baseline("a", () -> {
      clock[0] += cost[0];
      cost[0] = (long) (cost[0] * 1.01); // keeps getting slower: never settles
      return 1;
    }).add("b", () -> {
      clock[0] += 1_000;
      return 2;
    }).ticker(() -> clock[0]).warmupLimit(Duration.ofSeconds(1)).build().run();
    assertThat(c.warmup().limitHit()).isTrue();
    assertThat(c.warmup().nanos()).isGreaterThanOrEqualTo(1_000_000_000L);
    assertThat(c.text()).contains("hit its limit of 1.00 s");
    assertThat(c.markdown()).contains("**warm-up: hit its limit");
    assertThat(c.json()).contains("\"limitHit\":true");
  }

  @Test
  void warmupLimitIsSetOnce() {
    Compare.Builder b = Compare.named("x").warmupLimit(Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.warmupLimit(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("warmupLimit");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> Compare.named("y").warmupLimit(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
