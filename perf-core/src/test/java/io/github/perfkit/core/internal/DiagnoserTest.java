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
    return Diagnoser.diagnose(new Diagnoser.Input(
        new Diagnoser.SectionTime(SECOND, List.of(new Diagnoser.ThreadTime(SECOND, cpu, lock)), gc,
            allocated),
        new Diagnoser.Hotspots(List.of(), List.of(), new Diagnoser.Contention(Map.of(), Map.of()),
            new Diagnoser.Statements(new StackTree.Calls(0, Map.of(), Map.of()), 0))));
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

  private static Diagnosis section(int cores, long gc, long allocated,
      Diagnoser.ThreadTime... threads) {
    return Diagnoser.diagnose(new Diagnoser.Input(
        new Diagnoser.SectionTime(SECOND, List.of(threads), gc, -1, allocated, cores),
        new Diagnoser.Hotspots(List.of(), List.of(), new Diagnoser.Contention(Map.of(), Map.of()),
            new Diagnoser.Statements(new StackTree.Calls(0, Map.of(), Map.of()), 0))));
  }

  private static Diagnoser.ThreadTime busy(long cpu, long queue) {
    return new Diagnoser.ThreadTime(SECOND, cpu, cpu, 0, queue);
  }

  @Test
  void moreRunnableThreadsThanCoresQueueingMostOfTheTimeAreStarved() {
    // six busy threads on two cores: each on a CPU a third of the time, queued the rest
    Diagnoser.ThreadTime[] six = new Diagnoser.ThreadTime[6];
    java.util.Arrays.fill(six, busy(333_000_000L, 667_000_000L));
    Diagnosis d = section(2, 0, 0, six);
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_STARVED);
    assertThat(d.evidence().runnable()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(d.evidence().queueShare()).isCloseTo(0.667, org.assertj.core.data.Offset.offset(0.001));
    assertThat(d.runnerUp()).contains(Bottleneck.CPU_BOUND);
    assertThat(d.strategies().get(0).name()).isEqualTo("fewer threads");
    assertThat(d.strategies()).extracting(Diagnosis.Strategy::primitive)
        .noneMatch(p -> p.startsWith("Parallel.io (perf-parallel), bounded"));
    assertThat(d.text()).contains("queued for a core 67%", "6.0 thread(s) runnable on 2 cores");
  }

  @Test
  void threeBusyThreadsOnTwoCoresAreCpuBoundWithStarvationCloseBehind() {
    Diagnosis d = section(2, 0, 0, busy(667_000_000L, 333_000_000L),
        busy(667_000_000L, 333_000_000L), busy(667_000_000L, 333_000_000L));
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.runnerUp()).contains(Bottleneck.CPU_STARVED);
  }

  @Test
  void oneThreadQueuedBehindOtherWorkIsCpuBoundOnABusyMachine() {
    // one computing thread that the machine's other work kept off the CPU 61% of the time: its
    // demand is CPU; more threads or fewer would not be the remedy
    Diagnosis d = section(2, 0, 0, busy(390_000_000L, 610_000_000L));
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.runnerUp()).isEmpty();
    assertThat(d.evidence().activeShare(Bottleneck.CPU_BOUND)).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(0.001));
    assertThat(d.findings()).anyMatch(f -> f.startsWith("busy machine: 61%"));
    assertThat(d.uncertain()).isTrue(); // queued over half its time: a best guess, and said so
    assertThat(d.headline()).isEqualTo(
        "CPU-bound (uncertain: 61% of thread time queued for a core behind other work)");
    Diagnosis lighter = section(2, 0, 0, busy(700_000_000L, 300_000_000L));
    assertThat(lighter.uncertain()).isFalse();
    assertThat(lighter.headline()).isEqualTo("CPU-bound");
  }

  @Test
  void anUnknownRunQueueIsSaidToBeUnknown() {
    Diagnosis d = diagnose(390_000_000L, 0, 0, 0);
    assertThat(d.evidence().queueShare()).isEqualTo(-1);
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.WAITING);
    assertThat(d.findings()).anyMatch(f -> f.startsWith("run-queue time unknown"));
    assertThat(d.text()).contains("queued for a core unknown");
  }

  @Test
  void theAllocationRateLeavesKernelTimeOut() {
    // 2.4 s of CPU of which 1.8 s in the kernel faulting in fresh heap pages, 1.5 GiB allocated:
    // 625 MiB per CPU-second overall, 2.5 GiB per user-mode CPU-second: allocation-bound
    Diagnosis d = Diagnoser.diagnose(new Diagnoser.Input(
        new Diagnoser.SectionTime(2_600_000_000L, List.of(new Diagnoser.ThreadTime(
            2_600_000_000L, 2_400_000_000L, 600_000_000L, 0, 0)), 180_000_000L, -1,
            1536L << 20, 2),
        new Diagnoser.Hotspots(List.of(), List.of(), new Diagnoser.Contention(Map.of(), Map.of()),
            new Diagnoser.Statements(new StackTree.Calls(0, Map.of(), Map.of()), 0))));
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.GC_PRESSURE);
    assertThat(d.evidence().allocationRate()).isCloseTo(1536.0 * (1 << 20) / 0.6,
        org.assertj.core.data.Offset.offset(1e6));
  }

  @Test
  void pausesForOtherThreadsGarbageAreNotTheSectionsGcPressure() {
    // a CPU loop stopped 150 ms by collections while it allocated 1% of the JVM's bytes
    Diagnoser.Hotspots none = new Diagnoser.Hotspots(List.of(), List.of(),
        new Diagnoser.Contention(Map.of(), Map.of()),
        new Diagnoser.Statements(new StackTree.Calls(0, Map.of(), Map.of()), 0));
    Diagnosis d = Diagnoser.diagnose(new Diagnoser.Input(new Diagnoser.SectionTime(SECOND,
        List.of(busy(850_000_000L, 0)), 150_000_000L, -1, 1_000, 2, 0.01), none));
    assertThat(d.bottleneck()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.findings()).anyMatch(f -> f.startsWith("GC pauses took 15% of wall time, but the"
        + " section allocated only 1% of the JVM's bytes"));
    Diagnosis own = Diagnoser.diagnose(new Diagnoser.Input(new Diagnoser.SectionTime(SECOND,
        List.of(busy(850_000_000L, 0)), 150_000_000L, -1, 1L << 30, 2, 0.9), none));
    assertThat(own.bottleneck()).isEqualTo(Bottleneck.GC_PRESSURE);
  }

  @Test
  void aComputingSectionWithoutSamplesSaysSo() {
    Diagnosis d = diagnose(900_000_000L, 0, 0, 0); // no samples at all
    assertThat(d.findings()).anyMatch(f -> f.startsWith("no samples: JFR sampled none"));
  }

  @Test
  void aSectionWithNoThreadIsNotLockContention() {
    Diagnosis d = section(2, 0, 0);
    assertThat(d.bottleneck()).isNotEqualTo(Bottleneck.LOCK_CONTENTION);
    assertThat(d.findings()).contains("no thread of the section took part: nothing to diagnose");
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
