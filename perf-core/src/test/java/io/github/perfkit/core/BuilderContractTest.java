package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The builder contract (issue 14 item 2) for every builder of perf-core: each setting once, argument
 * errors from the setter naming the parameter, rules across settings from {@code build()}, and
 * {@code build()} copies.
 */
class BuilderContractTest {

  @Nested
  class LatencyRecorderBuilder {

    @Test
    void aSettingMadeTwiceIsRefusedByName() {
      LatencyRecorder.Builder b = LatencyRecorder.builder("r").significantDigits(2);
      assertThatIllegalStateException().isThrownBy(() -> b.significantDigits(3))
          .withMessageContaining("significantDigits was already set");
    }

    @Test
    void badArgumentsNameTheParameterAndValue() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> LatencyRecorder.builder("r").significantDigits(4))
          .withMessage("digits must be in [1, 3] but was 4");
      assertThatNullPointerException().isThrownBy(() -> LatencyRecorder.builder(null))
          .withMessage("name must not be null");
      assertThatIllegalArgumentException().isThrownBy(() -> LatencyRecorder.builder(" "))
          .withMessage("name must not be blank");
    }

    @Test
    void aNullTickerIsRefusedByName() {
      assertThatNullPointerException().isThrownBy(() -> LatencyRecorder.builder("r").ticker(null))
          .withMessage("ticker must not be null");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      LatencyRecorder.Builder b = LatencyRecorder.builder("r");
      LatencyRecorder first = b.build();
      b.significantDigits(3);
      LatencyRecorder second = b.build();
      first.record(1_000);
      assertThat(second.snapshot().count()).isZero();
      assertThat(first.snapshot().histogram().getNumberOfSignificantValueDigits()).isEqualTo(2);
      assertThat(second.snapshot().histogram().getNumberOfSignificantValueDigits()).isEqualTo(3);
    }
  }

  @Nested
  class StageBreakdownBuilder {

    @Test
    void aSettingMadeTwiceIsRefusedByName() {
      StageBreakdown.Builder b = StageBreakdown.builder("b").ticker(Ticker.system());
      assertThatIllegalStateException().isThrownBy(() -> b.ticker(Ticker.system()))
          .withMessageContaining("ticker was already set");
    }

    @Test
    void badArgumentsNameTheParameter() {
      assertThatNullPointerException().isThrownBy(() -> StageBreakdown.builder("b").ticker(null))
          .withMessage("ticker must not be null");
      assertThatIllegalArgumentException().isThrownBy(() -> StageBreakdown.builder(""))
          .withMessage("name must not be blank");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      java.util.concurrent.atomic.AtomicLong fake = new java.util.concurrent.atomic.AtomicLong();
      StageBreakdown.Builder b = StageBreakdown.builder("b");
      StageBreakdown first = b.build();
      b.ticker(fake::get);
      StageBreakdown second = b.build();
      try (StageBreakdown.Stage s = second.stage("x")) {
        fake.addAndGet(42);
      }
      assertThat(second.snapshot().stage("x").wallNanos()).isEqualTo(42);
      assertThat(first.snapshot().stages()).isEmpty();
    }
  }

  @Nested
  class CompareBuilder {

    private Compare.Builder two() {
      return Compare.named("c").baseline("a", () -> 1).add("b", () -> 2).rounds(5)
          .warmupRounds(0).warmupTime(Duration.ZERO);
    }

    @Test
    void aSettingMadeTwiceIsRefusedByName() {
      assertThatIllegalStateException().isThrownBy(() -> two().rounds(6))
          .withMessageContaining("rounds was already set");
      assertThatIllegalStateException().isThrownBy(() -> two().baseline("z", () -> 3))
          .withMessageContaining("baseline was already set");
      assertThatIllegalStateException().isThrownBy(() -> two().alpha(0.05).alpha(0.05))
          .withMessageContaining("alpha was already set");
    }

    @Test
    void badArgumentsNameTheParameterAndValue() {
      assertThatIllegalArgumentException().isThrownBy(() -> Compare.named("c").rounds(4))
          .withMessage("rounds must be in [5, 1000000] but was 4");
      assertThatIllegalArgumentException().isThrownBy(() -> Compare.named("c").callsPerRound(0))
          .withMessage("calls must be positive but was 0");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Compare.named("c").timeBudget(Duration.ZERO))
          .withMessage("budget must be positive but was PT0S");
      assertThatNullPointerException().isThrownBy(() -> Compare.named("c").add("a", null))
          .withMessage("approach must not be null");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Compare.named("c").add("a", () -> 1).add("a", () -> 2))
          .withMessageContaining("name must be unique but 'a' is already added");
    }

    @Test
    void rulesAcrossSettingsAreCheckedByBuild() {
      Compare.Builder noBaseline = Compare.named("c").add("a", () -> 1).add("b", () -> 2);
      assertThatIllegalStateException().isThrownBy(noBaseline::build)
          .withMessageContaining("baseline(...) must be set");
      Compare.Builder alone = Compare.named("c").baseline("a", () -> 1);
      assertThatIllegalStateException().isThrownBy(alone::build)
          .withMessageContaining("at least one approach besides the baseline");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      Compare.Builder b = two();
      Compare first = b.build();
      b.add("c", () -> 3);
      Compare second = b.build();
      assertThat(first.run().results()).extracting(Comparison.Result::name)
          .containsExactly("a", "b");
      assertThat(second.run().results()).extracting(Comparison.Result::name)
          .containsExactly("a", "b", "c");
      assertThat(first.run().results()).hasSize(2); // a built comparison runs again, unchanged
    }
  }

  @Nested
  class ProfilerBuilder {

    @Test
    void aSettingMadeTwiceIsRefusedByName() {
      assertThatIllegalStateException()
          .isThrownBy(() -> Profiler.named("p").top(5).top(6))
          .withMessageContaining("top was already set");
      assertThatIllegalStateException()
          .isThrownBy(() -> Profiler.named("p").includeThreads(n -> true).includeThreads(n -> false))
          .withMessageContaining("includeThreads was already set");
      assertThatIllegalStateException()
          .isThrownBy(() -> Profiler.named("p").nativeSamples(true).nativeSamples(false))
          .withMessageContaining("nativeSamples was already set");
      assertThatIllegalStateException()
          .isThrownBy(() -> Profiler.named("p").excludeCallingThread().excludeCallingThread())
          .withMessageContaining("excludeCallingThread was already set");
    }

    @Test
    void badArgumentsNameTheParameterAndValue() {
      assertThatIllegalArgumentException().isThrownBy(() -> Profiler.named("p").top(0))
          .withMessage("n must be in [1, 1000] but was 0");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Profiler.named("p").samplingPeriod(Duration.ofSeconds(2)))
          .withMessage("period must be between 1 ms and 1 s but was PT2S");
      assertThatNullPointerException().isThrownBy(() -> Profiler.named("p").includeThreads(null))
          .withMessage("threadName must not be null");
      assertThatIllegalArgumentException().isThrownBy(() -> Profiler.named(""))
          .withMessage("name must not be blank");
    }

    @Test
    void rulesAcrossSettingsAreCheckedByBuild() {
      Profiler.Builder b = Profiler.named("p").allThreads().includeThreads(n -> true);
      assertThatIllegalStateException().isThrownBy(b::build)
          .withMessageContaining("includeThreads(...) has no effect with allThreads()");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      Profiler.Builder b = Profiler.named("p");
      Profiler first = b.build();
      b.samplingPeriod(Duration.ofMillis(5));
      Profiler second = b.build();
      assertThat(first).isNotSameAs(second);
      assertThat(first.toString()).isEqualTo("Profiler[p, every 10 ms]");
      assertThat(second.toString()).isEqualTo("Profiler[p, every 5 ms]");
    }
  }

  @Nested
  class PerfMetricsBuilder {

    @Test
    void aSettingMadeTwiceIsRefusedByName() {
      PerfMetrics.Builder b = PerfMetrics.forRecorder(LatencyRecorder.create("r")).tags("a", "b");
      assertThatIllegalStateException().isThrownBy(() -> b.tags("c", "d"))
          .withMessageContaining("tags was already set");
      PerfMetrics.Builder w = PerfMetrics.forRecorder(LatencyRecorder.create("r"))
          .window(Duration.ofMinutes(1));
      assertThatIllegalStateException().isThrownBy(() -> w.window(Duration.ofMinutes(2)))
          .withMessageContaining("window was already set");
    }

    @Test
    void badArgumentsNameTheParameterAndValue() {
      PerfMetrics.Builder b = PerfMetrics.forRecorder(LatencyRecorder.create("r"));
      assertThatIllegalArgumentException().isThrownBy(() -> b.tags("odd"))
          .withMessage("keyValues must come in pairs but had 1 elements");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PerfMetrics.forRecorder(LatencyRecorder.create("r")).meterName(" "))
          .withMessage("meterName must not be blank");
      assertThatNullPointerException().isThrownBy(() -> PerfMetrics.forRecorder(null))
          .withMessage("recorder must not be null");
    }

    @Test
    void aRecorderSettingOnABreakdownIsRefused() {
      PerfMetrics.Builder b = PerfMetrics.forBreakdown(StageBreakdown.create("b"));
      assertThatIllegalStateException().isThrownBy(() -> b.meterName("x.y"))
          .withMessageContaining("meterName applies to a recorder");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      LatencyRecorder recorder = LatencyRecorder.create("r");
      PerfMetrics.Builder b = PerfMetrics.forRecorder(recorder);
      SimpleMeterRegistry one = new SimpleMeterRegistry();
      SimpleMeterRegistry two = new SimpleMeterRegistry();
      io.micrometer.core.instrument.binder.MeterBinder first = b.build();
      b.tags("service", "search");
      b.build().bindTo(two);
      first.bindTo(one);
      assertThat(one.get("perfkit.latency").functionTimer().getId().getTag("service")).isNull();
      assertThat(two.get("perfkit.latency").functionTimer().getId().getTag("service"))
          .isEqualTo("search");
    }
  }

  @Nested
  class PerfReportBuilder {

    @Test
    void badArgumentsNameTheParameter() {
      assertThatNullPointerException()
          .isThrownBy(() -> PerfReport.titled("t").add((Comparison) null))
          .withMessage("comparison must not be null");
      assertThatNullPointerException().isThrownBy(() -> PerfReport.titled("t").note("n", null))
          .withMessage("text must not be null");
      assertThatIllegalArgumentException().isThrownBy(() -> PerfReport.titled(" "))
          .withMessage("title must not be blank");
    }

    @Test
    void aReportNeedsASectionWhenBuilt() {
      assertThatIllegalStateException().isThrownBy(() -> PerfReport.titled("t").build())
          .withMessageContaining("add at least one section");
    }

    @Test
    void buildCopiesSoABuilderCanBeReused() {
      PerfReport.Builder b = PerfReport.titled("t").note("first", "one");
      PerfReport first = b.build();
      b.note("second", "two");
      PerfReport second = b.build();
      assertThat(first.text()).contains("first").doesNotContain("second");
      assertThat(second.text()).contains("first").contains("second");
    }
  }
}
