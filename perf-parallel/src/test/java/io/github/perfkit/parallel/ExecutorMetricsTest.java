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
        .backpressure(Backpressure.REJECT).build();
        AutoCloseable unblock = release::countDown) { // closed first: the tasks can finish
      io.metrics().bindTo(registry);
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
    try (BoundedExecutor io = Parallel.io("db").maxConcurrency(50).limit(limit).build()) {
      io.metrics().bindTo(registry);
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

  @Test
  void queuedCountsTheItemsAMapCallHoldsOnItsCallersSideAndIdleTimesTheirWait() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch bothRunning = new CountDownLatch(2);
    try (BoundedExecutor io = Parallel.io("bulk").maxConcurrency(2).build()) {
      io.metrics().tags("service", "test").bindTo(registry);
      var caller = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        Future<List<Integer>> mapped = caller.submit(() -> io.map(
            IntStream.range(0, 100).boxed().toList(), i -> {
              bothRunning.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return i;
            }));
        assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
        // 2 running; map keeps at most 2 submitted and not collected: 98 wait on the caller's side
        awaitGauge(registry, "executor.queued", 98);
        assertThat(registry.get("executor.pool.core").tag("name", "bulk").gauge().value())
            .isEqualTo(2);
        assertThat(registry.get("executor.pool.size").tag("name", "bulk").gauge().value())
            .isGreaterThanOrEqualTo(1);
        Thread.sleep(50); // the held items wait at least this long before they start
        release.countDown();
        assertThat(mapped.get(30, TimeUnit.SECONDS)).hasSize(100);
      } finally {
        caller.shutdownNow();
      }
      assertThat(io.queuedCount()).isZero();
      var idle = registry.get("executor.idle").tag("name", "bulk").tag("service", "test").timer();
      assertThat(idle.count()).isEqualTo(100);
      // the last items waited behind the latch on the caller's side: counted from the map call
      assertThat(idle.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void nothingIsQueuedOnceMapHasReturned() {
    // a task that has handed back its result may still be finishing; it is not queued
    try (BoundedExecutor io = Parallel.io("settled").maxConcurrency(2).build()) {
      List<Integer> items = IntStream.range(0, 4).boxed().toList();
      int seenQueued = 0;
      for (int round = 0; round < 20_000; round++) {
        io.map(items, i -> i);
        if (io.queuedCount() != 0) {
          seenQueued++;
        }
      }
      assertThat(seenQueued).as("rounds that reported a queued task after map returned").isZero();
    }
  }
}
