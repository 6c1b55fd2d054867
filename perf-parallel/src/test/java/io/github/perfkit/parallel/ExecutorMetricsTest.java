package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExecutorMetricsTest {

  @Test
  void usesMicrometersExecutorNames() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountDownLatch release = new CountDownLatch(1);
    try (BoundedExecutor io = Parallel.io("fetch").maxConcurrency(2).queueCapacity(3)
        .backpressure(Backpressure.REJECT).metrics(registry).build();
        AutoCloseable unblock = release::countDown) { // closed first: the tasks can finish
      List<Integer> done = io.map(IntStream.range(0, 10).boxed().toList(), i -> i);
      assertThat(done).hasSize(10);
      // a task's future completes just before it gives back its place: wait for all ten
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (io.completedCount() < 10 && System.nanoTime() < end) {
        Thread.sleep(1);
      }
      for (int i = 0; i < 5; i++) { // 2 running + 3 queued
        io.submit(() -> {
          release.await();
          return null;
        });
      }
      assertThatThrownBy(() -> io.submit(() -> 1)).isInstanceOf(RejectedTaskException.class);
      awaitGauge(registry, "executor.active", 2);
      assertThat(registry.get("executor.queued").tag("name", "fetch").gauge().value()).isEqualTo(3);
      assertThat(registry.get("executor.queue.remaining").tag("name", "fetch").gauge().value())
          .isZero();
      assertThat(registry.get("executor.pool.max").tag("name", "fetch").gauge().value())
          .isEqualTo(2);
      assertThat(registry.get("executor.limit").tag("name", "fetch").gauge().value())
          .isEqualTo(2);
      assertThat(registry.get("executor.rejected").tag("name", "fetch").functionCounter().count())
          .isEqualTo(1);
    }
    assertThat(registry.get("executor.completed").tag("name", "fetch").functionCounter().count())
        .isEqualTo(15);
    assertThat(registry.get("executor").tag("name", "fetch").timer().count()).isEqualTo(15);
    assertThat(registry.get("executor.idle").tag("name", "fetch").timer().count()).isEqualTo(15);
  }

  @Test
  void theLimitGaugeFollowsAnAdaptiveLimit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConcurrencyLimit limit = ConcurrencyLimit.aimd("db").initial(7).build();
    try (BoundedExecutor io = Parallel.io("db").maxConcurrency(50).limit(limit).metrics(registry)
        .build()) {
      assertThat(registry.get("executor.limit").tag("name", "db").gauge().value()).isEqualTo(7);
    }
  }

  @Test
  void shutdownNowReportsTasksWaitingForALimit() throws Exception {
    ConcurrencyLimit limit = ConcurrencyLimit.fixed("one-at-a-time", 1);
    CountDownLatch started = new CountDownLatch(1);
    BoundedExecutor io = Parallel.io("limited").maxConcurrency(4).limit(limit).build();
    Future<?> blocker = io.submit(() -> {
      started.countDown();
      Thread.sleep(60_000);
      return null;
    });
    started.await();
    for (int i = 0; i < 9; i++) {
      io.submit(() -> 1);
    }
    List<Runnable> notRun = io.shutdownNow();
    assertThat(notRun).hasSize(9);
    assertThat(io.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(blocker.isDone()).isTrue();
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void closeRunsEveryTaskUnderALimit() {
    ConcurrencyLimit limit = ConcurrencyLimit.fixed("two", 2);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    try (BoundedExecutor io = Parallel.io("drain").maxConcurrency(8).limit(limit).build()) {
      for (int i = 0; i < 1_000; i++) {
        io.execute(ran::incrementAndGet);
      }
    }
    assertThat(ran).hasValue(1_000);
    assertThat(limit.inFlight()).isZero();
  }

  private static void awaitGauge(SimpleMeterRegistry registry, String name, double value)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.get(name).gauge().value() != value && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(registry.get(name).gauge().value()).isEqualTo(value);
  }
}
