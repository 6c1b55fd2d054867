package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Diagnosis.Bottleneck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Ground truths for a caller that waits for work done by the section's own threads: the verdict
 * follows the work waited for (computing, or sleeping), not the caller's wait.
 */
class OwnThreadsWaitTest {

  private static Diagnosis run(CheckedRunnable<Exception> task) throws Exception {
    Profile p = Profiler.named("fan-out").build().profile(() -> {
      ExecutorService pool = Executors.newFixedThreadPool(2); // made inside: in the section
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          futures.add(pool.submit(() -> {
            task.run();
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    });
    Diagnosis d = p.diagnosis();
    System.out.println(d.text());
    return d;
  }

  @Test
  void aCallerWaitingOnFuturesOfComputingPoolThreadsIsCpuBound() throws Exception {
    Diagnosis d = run(() -> DiagnosisTest.sink = DiagnosisTest.burn(150));
    assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.evidence().ownWaitNanos()).as(d.text()).isPositive();
    assertThat(d.findings()).as(d.text())
        .anyMatch(f -> f.contains("waiting for the section's own threads"));
    assertThat(d.strategies().get(0).name()).as(d.text()).isNotEqualTo("parallelism");
  }

  @Test
  void aCallerWaitingOnFuturesOfSleepingPoolThreadsIsWaiting() throws Exception {
    Diagnosis d = run(() -> Thread.sleep(150));
    assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.WAITING);
  }

  @Test
  void aCallerJoiningComputingThreadsIsCpuBound() throws Exception {
    Profile p = Profiler.named("join").build().profile(() -> {
      Thread a = new Thread(() -> DiagnosisTest.sink = DiagnosisTest.burn(500), "worker-a");
      a.start();
      a.join();
    });
    Diagnosis d = p.diagnosis();
    System.out.println(d.text());
    assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.CPU_BOUND);
    assertThat(d.evidence().ownWaitNanos()).as(d.text()).isPositive();
  }
}
