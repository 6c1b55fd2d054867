package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.internal.VirtualThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class BoundedExecutorTest {

  private static final boolean JAVA_21 = Runtime.version().feature() >= 21;

  @Test
  void ioExecutorsUseVirtualThreadsExactlyWhenTheJvmHasThem() throws Exception {
    try (BoundedExecutor io = Parallel.io("io").build();
        BoundedExecutor platform = Parallel.io("plain").platformThreads().build();
        BoundedExecutor cpu = Parallel.cpu("cpu").build()) {
      assertThat(io.usesVirtualThreads()).isEqualTo(JAVA_21);
      assertThat(io.submit(() -> VirtualThreads.isVirtual(Thread.currentThread())).get())
          .isEqualTo(JAVA_21);
      assertThat(platform.submit(() -> VirtualThreads.isVirtual(Thread.currentThread())).get())
          .isFalse();
      assertThat(cpu.maxConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(cpu.submit(() -> Thread.currentThread().getName()).get()).startsWith("cpu-");
      assertThat(cpu.submit(() -> ForkJoinTask.getPool()).get()).isNotSameAs(ForkJoinPool.commonPool());
    }
  }

  @Test
  void mapReturnsResultsInInputOrder() {
    Random random = new Random(1);
    List<Integer> delays = IntStream.range(0, 200).map(i -> random.nextInt(5)).boxed()
        .collect(Collectors.toList());
    try (BoundedExecutor io = Parallel.io("order").maxConcurrency(20).build()) {
      List<Integer> results = io.map(IntStream.range(0, 200).boxed().toList(), i -> {
        sleep(delays.get(i));
        return i * 2;
      });
      assertThat(results).isEqualTo(IntStream.range(0, 200).map(i -> i * 2).boxed().toList());
    }
  }

  @Test
  void failFastStopsSubmittingCancelsTheRestAndThrowsTheFailureUnchanged() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("item 30 failed");
    try (BoundedExecutor io = Parallel.io("fail-fast").maxConcurrency(10).build()) {
      assertThatThrownBy(() -> io.map(IntStream.range(0, 1_000).boxed().toList(), i -> {
        started.incrementAndGet();
        if (i == 30) {
          throw boom;
        }
        try {
          Thread.sleep(i < 30 ? 1 : 5_000);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          return -1;
        }
        finished.incrementAndGet();
        return i;
      })).isSameAs(boom);
    }
    // at most one window of calls beyond the failure was ever started, and those were interrupted
    assertThat(started.get()).isLessThanOrEqualTo(30 + 1 + 10);
    assertThat(finished.get()).isLessThanOrEqualTo(30);
    assertThat(started.get()).isEqualTo(finished.get() + interrupted.get() + 1);
  }

  @Test
  void collectAllReturnsEveryResultAndEveryFailureByIndex() {
    try (BoundedExecutor cpu = Parallel.cpu("all").build()) {
      BulkResult<Integer> result = cpu.mapAll(List.of(1, 2, 0, 4, 0), x -> 12 / x);
      assertThat(result.results()).containsExactly(12, 6, null, 3, null);
      assertThat(result.failures()).containsOnlyKeys(2, 4);
      assertThat(result.failures().get(2)).isInstanceOf(ArithmeticException.class);
      assertThat(result.allSucceeded()).isFalse();
    }
  }

  @Test
  void twoThousandTenMillisecondTasksAtLimitOneHundredFinishNearTwoHundredMilliseconds() {
    try (BoundedExecutor io = Parallel.io("makespan").maxConcurrency(100).build()) {
      io.map(List.of(0), i -> i); // warm up the executor's threads
      long start = System.nanoTime();
      List<Integer> done = io.map(IntStream.range(0, 2_000).boxed().toList(), i -> {
        sleep(10);
        return i;
      });
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(done).hasSize(2_000);
      // ideal: ceil(2000/100) x 10 ms = 200 ms. Generous bound here; the tight figure is perf-bench's.
      assertThat(millis).isBetween(200L, 2_000L);
    }
  }

  @Test
  void aLazyInputOfTenMillionElementsKeepsABoundedNumberInFlight() {
    int n = 10_000_000;
    int maxInFlight = 64;
    AtomicLong produced = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    AtomicLong peak = new AtomicLong();
    Iterator<Integer> lazy = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < n;
      }

      @Override
      public Integer next() {
        if (next >= n) {
          throw new NoSuchElementException();
        }
        long inFlight = produced.incrementAndGet() - consumed.get();
        peak.accumulateAndGet(inFlight, Math::max);
        return next++;
      }
    };
    LongAdder sum = new LongAdder();
    try (BoundedExecutor cpu = Parallel.cpu("lazy").build()) {
      cpu.forEachOrdered(lazy, x -> x + 1L, maxInFlight, r -> {
        sum.add(r);
        consumed.incrementAndGet();
      });
    }
    assertThat(consumed.get()).isEqualTo(n);
    assertThat(sum.sum()).isEqualTo((long) n * (n + 1) / 2);
    assertThat(peak.get()).isLessThanOrEqualTo(maxInFlight + 1); // the one being read counts too
  }

  @Test
  void closeRunsEveryOneOfOneHundredThousandAcceptedTasks() {
    LongAdder ran = new LongAdder();
    BoundedExecutor io = Parallel.io("drain").maxConcurrency(4).queueCapacity(100_000).build();
    for (int i = 0; i < 100_000; i++) {
      io.execute(ran::increment);
    }
    io.close();
    assertThat(ran.sum()).isEqualTo(100_000);
    assertThat(io.isTerminated()).isTrue();
    assertThat(io.completedCount()).isEqualTo(100_000);
    assertThatThrownBy(() -> io.execute(ran::increment)).isInstanceOf(RejectedTaskException.class)
        .hasMessageContaining("'drain'");
  }

  @Test
  void shutdownNowReturnsExactlyTheAcceptedTasksThatNeverStarted() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    BoundedExecutor io = Parallel.io("now").maxConcurrency(2).queueCapacity(1_000).build();
    int accepted = 500;
    for (int i = 0; i < accepted; i++) {
      io.execute(() -> {
        ran.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    while (io.activeCount() < 2) {
      Thread.onSpinWait();
    }
    List<Runnable> notRun = io.shutdownNow();
    assertThat(io.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get() + notRun.size()).isEqualTo(accepted);
    assertThat(ran.get()).isEqualTo(2);
  }

  @Test
  void aSaturatedExecutorRejectsNamingTheLimitOrBlocksTheSubmitter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable blocked = () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (BoundedExecutor reject = Parallel.io("tight").maxConcurrency(1).queueCapacity(1)
        .backpressure(Backpressure.REJECT).build()) {
      reject.execute(blocked);
      reject.execute(blocked);
      assertThatThrownBy(() -> reject.execute(blocked)).isInstanceOf(RejectedTaskException.class)
          .hasMessage("executor 'tight' rejected a task: maxConcurrency + queueCapacity (2) reached")
          .satisfies(e -> assertThat(((RejectedTaskException) e).value()).isEqualTo(2));
      assertThat(reject.rejectedCount()).isEqualTo(1);
      release.countDown();
    }

    CountDownLatch release2 = new CountDownLatch(1);
    try (BoundedExecutor block = Parallel.io("blocking").maxConcurrency(1).queueCapacity(0).build()) {
      block.execute(() -> {
        try {
          release2.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      AtomicInteger second = new AtomicInteger();
      Thread submitter = new Thread(() -> block.execute(second::incrementAndGet));
      submitter.start();
      submitter.join(200);
      assertThat(submitter.isAlive()).as("the submitter waits for room").isTrue();
      release2.countDown();
      submitter.join(10_000);
      assertThat(submitter.isAlive()).isFalse();
    }
  }

  @Test
  void anOverallTimeoutCancelsAndInterruptsWhatIsLeft() {
    AtomicInteger interrupted = new AtomicInteger();
    try (BoundedExecutor io = Parallel.io("deadline").maxConcurrency(8).build()) {
      assertThatThrownBy(() -> io.map(IntStream.range(0, 16).boxed().toList(), i -> {
        try {
          Thread.sleep(i == 0 ? 0 : 30_000);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
        }
        return i;
      }, Duration.ofMillis(200))).isInstanceOf(BulkTimeoutException.class)
          .hasMessageContaining("timeout of PT0.2S");
    }
    assertThat(interrupted.get()).isPositive();
  }

  @Test
  void badInputFailsFastNamingTheParameter() {
    assertThatNullPointerException().isThrownBy(() -> Parallel.io(null))
        .withMessage("name must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> Parallel.io("x").maxConcurrency(0))
        .withMessage("maxConcurrency must be positive but was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> Parallel.cpu("x").queueCapacity(-1))
        .withMessage("queueCapacity must not be negative but was -1");
    try (BoundedExecutor io = Parallel.io("x").build()) {
      assertThatNullPointerException().isThrownBy(() -> io.execute(null)).withMessage("command");
      assertThatNullPointerException().isThrownBy(() -> io.map(null, x -> x)).withMessage("items");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> io.forEachOrdered(new ArrayList<Integer>().iterator(), x -> x, 0, r -> { }))
          .withMessageContaining("maxInFlight");
      assertThatIllegalArgumentException()
          .isThrownBy(() -> io.map(List.of(1), x -> x, Duration.ZERO))
          .withMessageContaining("timeout must be positive");
    }
  }

  @Test
  void aTaskSubmittedAfterShutdownIsRejectedSayingTheExecutorIsShutDown() {
    for (Parallel.Builder builder : List.of(Parallel.io("fetch"),
        Parallel.io("fetch").platformThreads(), Parallel.cpu("fetch"))) {
      BoundedExecutor executor = builder.build();
      executor.shutdown();
      assertRejected(() -> executor.execute(() -> { }), RejectedTaskException.Reason.SHUT_DOWN,
          "executor 'fetch' is shut down; task rejected");
      assertThat(executor.rejectedCount()).isEqualTo(1);
    }
  }

  @Test
  void aSubmitterInterruptedWhileWaitingForRoomIsToldSoAndKeepsItsInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (BoundedExecutor block = Parallel.io("full").maxConcurrency(1).queueCapacity(0).build()) {
      block.execute(awaiting(release));
      Thread.currentThread().interrupt();
      try {
        assertRejected(() -> block.execute(() -> { }), RejectedTaskException.Reason.INTERRUPTED,
            "executor 'full' rejected a task: the submitting thread was interrupted while it "
                + "waited for room under maxConcurrency + queueCapacity (1)");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
        release.countDown();
      }
    }
  }

  @Test
  void aSaturatedExecutorSaysSoInTheReason() {
    CountDownLatch release = new CountDownLatch(1);
    try (BoundedExecutor reject = Parallel.cpu("cpu-tight").maxConcurrency(1).queueCapacity(0)
        .backpressure(Backpressure.REJECT).build()) {
      reject.execute(awaiting(release));
      assertRejected(() -> reject.execute(() -> { }), RejectedTaskException.Reason.SATURATED,
          "executor 'cpu-tight' rejected a task: maxConcurrency + queueCapacity (1) reached");
      release.countDown();
    }
  }

  @Test
  void aCpuParallelismAboveForkJoinPoolsLimitFailsNamingTheParameter() throws Exception {
    assertThatIllegalArgumentException().isThrownBy(() -> Parallel.cpu("x").maxConcurrency(100_000))
        .withMessage("maxConcurrency must be in [1, 32767] but was 100000");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Parallel.cpu("x").maxConcurrency(Integer.MAX_VALUE))
        .withMessage("maxConcurrency must be in [1, 32767] but was 2147483647");
    try (BoundedExecutor cpu = Parallel.cpu("widest").maxConcurrency(32_767).build()) {
      assertThat(cpu.maxConcurrency()).isEqualTo(32_767);
      assertThat(cpu.submit(() -> 1).get()).isEqualTo(1);
    }
  }

  @Test
  void theLargestIoLimitsKeepTheCountsExact() throws Exception {
    for (Parallel.Builder builder : List.of(Parallel.io("huge"),
        Parallel.io("huge").platformThreads())) {
      try (BoundedExecutor io = builder.maxConcurrency(Integer.MAX_VALUE)
          .queueCapacity(Integer.MAX_VALUE).build()) {
        assertThat(io.queuedCount()).isZero();
        assertThat(io.map(List.of(1, 2, 3), x -> x * 2)).containsExactly(2, 4, 6);
        assertThat(io.submit(() -> 1).get()).isEqualTo(1);
        // a task's future completes just before it gives back its place: wait for all four
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (io.completedCount() < 4 && System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        assertThat(io.completedCount()).isEqualTo(4);
        assertThat(io.queuedCount()).isZero();
        assertThat(io.activeCount()).isZero();
      }
    }
  }

  @Test
  void aTimeoutTooLongForNanosecondsMeansNoDeadline() {
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    try (BoundedExecutor io = Parallel.io("patient").build()) {
      assertThat(io.map(List.of(1, 2), x -> x + 1, forever)).containsExactly(2, 3);
      assertThat(io.map(List.of(1, 2), Parallel.withTimeout(x -> x + 1, forever)))
          .containsExactly(2, 3);
    }
  }

  @Test
  void theTimedMapNamesAMissingArgument() {
    try (BoundedExecutor io = Parallel.io("x").build()) {
      assertThatNullPointerException()
          .isThrownBy(() -> io.map(null, x -> x, Duration.ofSeconds(1))).withMessage("items");
      assertThatNullPointerException()
          .isThrownBy(() -> io.map(List.of(1), null, Duration.ofSeconds(1))).withMessage("fn");
      assertThatNullPointerException()
          .isThrownBy(() -> io.map(List.of(1), x -> x, null)).withMessage("timeout");
    }
  }

  @Test
  void aCommandThatThrowsOnTheCpuExecutorReachesTheUncaughtExceptionHandler() throws Exception {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    java.util.concurrent.atomic.AtomicReference<Throwable> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch reported = new CountDownLatch(1);
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      seen.set(e);
      reported.countDown();
    });
    IllegalStateException boom = new IllegalStateException("boom");
    try (BoundedExecutor cpu = Parallel.cpu("throws").maxConcurrency(1).build()) {
      cpu.execute(() -> {
        throw boom;
      });
      assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen.get()).isSameAs(boom);
      assertThat(cpu.submit(() -> 2).get()).isEqualTo(2); // the pool still runs tasks
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static void assertRejected(ThrowingCallable submit,
      RejectedTaskException.Reason reason, String message) {
    assertThatThrownBy(submit).isInstanceOf(RejectedTaskException.class).hasMessage(message)
        .satisfies(e -> assertThat(((RejectedTaskException) e).reason()).isEqualTo(reason));
  }

  /** A task that waits until {@code release} opens (keeping an interrupt). */
  private static Runnable awaiting(CountDownLatch release) {
    return () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
