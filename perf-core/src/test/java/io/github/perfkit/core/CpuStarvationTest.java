package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.perfkit.core.Diagnosis.Bottleneck;
import io.github.perfkit.core.internal.OsThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Ground truths for run-queue time (Linux's schedstat): a section that runs three busy threads per
 * core is starved of CPU by its own threads; a single busy thread that other threads outside the
 * section crowd off the cores is CPU-bound on a busy machine, not waiting.
 */
class CpuStarvationTest {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void threeBusyThreadsPerCoreAreStarvedOfCpu() throws Exception {
    assumeTrue(OsThreads.supported(), "this system does not tell run-queue time per thread");
    int n = 3 * CORES;
    // the threads start and end inside the section: their figures come from the last reading
    // before they ended
    Profile p = Profiler.named("starved").build().profile(() -> {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Thread thread = new Thread(() -> DiagnosisTest.sink = DiagnosisTest.burn(600),
            "busy-" + t);
        threads.add(thread);
        thread.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    });
    Diagnosis d = p.diagnosis();
    System.out.println(d.text());
    assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.CPU_STARVED);
    // n threads wanting a core each on CORES cores: each queues 1 - CORES / n = 2/3 of its time on
    // an idle machine, more when other work takes cores too; the caller, joining, is the (n+1)th
    // thread and never queues
    double expected = (double) n / (n + 1) * (1 - (double) CORES / n);
    assertThat(d.evidence().queueShare()).as(d.text()).isGreaterThan(expected - 0.05);
    assertThat(d.evidence().runnable()).as(d.text()).isGreaterThan(CORES);
    assertThat(d.strategies().get(0).name()).isEqualTo("fewer threads");
    assertThat(d.strategies()).extracting(Diagnosis.Strategy::primitive)
        .noneMatch(s -> s.startsWith("Parallel.io (perf-parallel), bounded"));
    assertThat(d.json()).contains("\"bottleneck\":\"CPU_STARVED\"");
  }

  @Test
  void oneBusyThreadCrowdedOutByOtherWorkIsCpuBoundOnABusyMachine() throws Exception {
    assumeTrue(OsThreads.supported(), "this system does not tell run-queue time per thread");
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch running = new CountDownLatch(CORES);
    List<Thread> others = new ArrayList<>();
    for (int t = 0; t < CORES; t++) { // started before the section: not part of it
      Thread other = new Thread(() -> {
        running.countDown();
        long x = 1;
        while (!stop.get()) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
        DiagnosisTest.sink = x;
      }, "other-work-" + t);
      other.setDaemon(true);
      others.add(other);
      other.start();
    }
    try {
      running.await();
      Profile p = Profiler.named("crowded").build().profile(
          () -> DiagnosisTest.sink = DiagnosisTest.burn(600));
      Diagnosis d = p.diagnosis();
      System.out.println(d.text());
      // CORES + 1 busy threads on CORES cores: the section's thread queues about a third of its
      // time on an otherwise idle machine (1 - CORES / (CORES + 1)), more when other work runs
      assertThat(d.evidence().queueShare()).as(d.text()).isGreaterThan(0.2);
      assertThat(d.evidence().runnable()).as(d.text()).isLessThanOrEqualTo(CORES);
      assertThat(d.findings()).as(d.text()).anyMatch(f -> f.startsWith("busy machine"));
      if (d.uncertain()) {
        // other load on top queued it half its time or more (83% at a load of 13 here): the little
        // time left is distorted (cpu 6%, waiting 12% in the sampler's pauses and wake-ups once),
        // and the diagnosis must say it cannot tell rather than pretend
        assertThat(d.headline()).as(d.text()).contains("uncertain");
        assertThat(d.json()).contains("\"uncertain\":true");
      } else {
        assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.CPU_BOUND);
        assertThat(d.evidence().activeShare(Bottleneck.CPU_BOUND)).as(d.text()).isGreaterThan(0.8);
        assertThat(d.runnerUp()).as(d.text()).isEmpty();
      }
    } finally {
      stop.set(true);
      for (Thread t : others) {
        t.join();
      }
    }
  }
}
