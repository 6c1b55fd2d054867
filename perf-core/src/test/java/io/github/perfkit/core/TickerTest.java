package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A fake ticker drives recorders, breakdowns and comparisons to exact durations. */
class TickerTest {

  @Test
  void theSystemTickerIsNanoTimeAndOneInstance() {
    long before = System.nanoTime();
    long read = Ticker.system().read();
    assertThat(read).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.nanoTime());
    assertThat(Ticker.system()).isSameAs(Ticker.system());
  }

  @Test
  void aRecorderTimesWithItsTickerExactly() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    LatencyRecorder r = LatencyRecorder.builder("fake").ticker(now::get).build();
    r.run(() -> now.addAndGet(150));
    assertThat(r.time(() -> now.addAndGet(200))).isEqualTo(1_000_350);
    r.runChecked(() -> now.addAndGet(50));
    try (LatencyRecorder.Sample s = r.start()) {
      now.addAndGet(100);
    }
    LatencyRecorder.Sample failed = r.start();
    now.addAndGet(7);
    failed.failed();
    failed.close();
    try {
      r.run(() -> {
        now.addAndGet(3);
        throw new IllegalStateException("boom");
      });
    } catch (IllegalStateException expected) {
      // recorded as a failure of exactly 3 ns
    }
    LatencySnapshot s = r.snapshot();
    assertThat(s.count()).isEqualTo(6);
    assertThat(s.failureCount()).isEqualTo(2);
    assertThat(s.totalNanos()).isEqualTo(150 + 200 + 50 + 100 + 7 + 3);
    assertThat(s.min()).isEqualTo(Duration.ofNanos(3)); // values under 256 are exact at 2 digits
    assertThat(s.p50()).isEqualTo(Duration.ofNanos(50));
  }

  @Test
  void aBreakdownTimesNestedStagesWithItsTickerExactly() {
    AtomicLong now = new AtomicLong();
    StageBreakdown b = StageBreakdown.builder("fake").ticker(now::get).build();
    try (StageBreakdown.Stage outer = b.stage("outer")) {
      now.addAndGet(100);
      try (StageBreakdown.Stage inner = b.stage("inner")) {
        now.addAndGet(300);
      }
      now.addAndGet(600);
    }
    b.time("second", () -> now.addAndGet(250));
    BreakdownSnapshot s = b.snapshot();
    assertThat(s.stage("outer").wallNanos()).isEqualTo(1_000);
    assertThat(s.stage("outer").selfNanos()).isEqualTo(700);
    assertThat(s.stage("outer/inner").wallNanos()).isEqualTo(300);
    assertThat(s.stage("outer/inner").selfNanos()).isEqualTo(300);
    assertThat(s.stage("second").wallNanos()).isEqualTo(250);
    assertThat(s.totalNanos()).isEqualTo(700 + 300 + 250);
    assertThat(s.stage("outer").latency().totalNanos()).isEqualTo(1_000);
  }

  @Test
  void aComparisonSamplesWithItsTickerExactly() {
    AtomicLong now = new AtomicLong();
    Comparison c = Compare.named("fake").ticker(now::get)
        .baseline("slow", () -> now.addAndGet(200)).add("fast", () -> now.addAndGet(100))
        .rounds(9).callsPerRound(2).warmupRounds(1).warmupTime(Duration.ZERO).build().run();
    Comparison.Result slow = c.result("slow");
    Comparison.Result fast = c.result("fast");
    assertThat(slow.sampleNanos()).hasSize(9).containsOnly(200.0);
    assertThat(fast.sampleNanos()).hasSize(9).containsOnly(100.0);
    assertThat(fast.p50()).isEqualTo(100.0);
    assertThat(fast.p99()).isEqualTo(100.0);
    assertThat(fast.speedup()).isEqualTo(2.0);
    assertThat(slow.speedup()).isEqualTo(1.0);
  }

  @Test
  void aComparisonStopsAtItsBudgetOnItsTicker() {
    AtomicLong now = new AtomicLong();
    Comparison c = Compare.named("budget").ticker(now::get)
        .baseline("a", () -> now.addAndGet(1_000)).add("b", () -> now.addAndGet(1_000))
        .rounds(100).warmupRounds(0).warmupTime(Duration.ZERO)
        .timeBudget(Duration.ofNanos(10_000)).build().run();
    // each round advances 2,000 ns: rounds 0-4 always run, round 5 starts at 10,000 (not past the
    // deadline), round 6 starts at 12,000 and stops
    assertThat(c.result("a").samples()).isEqualTo(6);
  }

  @Test
  void aTickerIsASettingMadeOnce() {
    assertThatIllegalStateException()
        .isThrownBy(() -> StageBreakdown.builder("b").ticker(Ticker.system()).ticker(() -> 0))
        .withMessageContaining("ticker was already set");
    assertThatIllegalStateException()
        .isThrownBy(() -> LatencyRecorder.builder("r").ticker(() -> 0).ticker(() -> 1))
        .withMessageContaining("ticker was already set");
  }
}
