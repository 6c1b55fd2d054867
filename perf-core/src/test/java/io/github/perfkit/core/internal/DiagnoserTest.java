package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.Diagnosis.Bottleneck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classification rules on exact figures (the profiled ground truths are in DiagnosisTest). */
class DiagnoserTest {

  private static final long SECOND = 1_000_000_000L;

  private static Diagnosis diagnose(long cpu, long lock, long gc, long allocated) {
    return Diagnoser.diagnose(SECOND, List.of(new Diagnoser.ThreadTime(SECOND, cpu, lock)), gc,
        allocated, List.of(), List.of(), Map.of(), Map.of(),
        new StackTree.Calls(0, Map.of(), Map.of()), 0);
  }

  @Test
  void aClearWinnerHasNoRunnerUp() {
    Diagnosis d = diagnose(900_000_000L, 0, 0, 0);
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.runnerUp()).isEmpty();
    assertThat(d.headline()).isEqualTo("CPU-bound");
  }

  @Test
  void aSecondCauseOverThirtyPercentIsTheRunnerUp() {
    Diagnosis d = diagnose(520_000_000L, 0, 0, 0); // 52% CPU, 48% waiting
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.runnerUp()).contains(Bottleneck.WAITING);
    assertThat(d.headline()).isEqualTo(
        "CPU-bound; close behind: waiting (I/O, sleep or other threads), 48% of thread time");
    assertThat(d.strategies()).extracting(Diagnosis.Strategy::name)
        .containsExactly("algorithm", "caching", "parallelism", "batching");

    Diagnosis locks = diagnose(100_000_000L, 550_000_000L, 0, 0); // 55% lock, 35% waiting
    assertThat(locks.bottleneck()).isEqualTo(Bottleneck.LOCK_CONTENTION);
    assertThat(locks.runnerUp()).contains(Bottleneck.WAITING);
  }

  @Test
  void justUnderTheThresholdIsNoRunnerUp() {
    Diagnosis d = diagnose(710_000_000L, 0, 0, 0); // 29% waiting
    assertThat(d.runnerUp()).isEmpty();
  }

  @Test
  void cpuTimeIsGcPressuresOwnTime() {
    // 200 ms of GC pauses in a second: GC pressure; the 70% CPU is the allocating itself
    Diagnosis d = diagnose(700_000_000L, 0, 200_000_000L, 1L << 30);
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.GC_PRESSURE);
    assertThat(d.runnerUp()).isEmpty();
  }

  @Test
  void theRunnerUpMustDifferFromTheVerdict() {
    Diagnosis d = diagnose(520_000_000L, 0, 0, 0);
    assertThatThrownBy(() -> new Diagnosis(Bottleneck.WAITING, Optional.of(Bottleneck.WAITING),
        d.evidence(), d.findings(), d.strategies())).hasMessageContaining("runnerUp");
    assertThatThrownBy(() -> new Diagnosis(Bottleneck.CPU_BOUND,
        Optional.of(Bottleneck.GC_PRESSURE), d.evidence(), d.findings(), d.strategies()))
        .hasMessageContaining("GC_PRESSURE");
  }
}
