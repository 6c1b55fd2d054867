package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing accepted is lost: after {@code shutdownNow()}, every accepted task either ran or was
 * returned, exactly once; after {@code close()}, every accepted task ran. Exact counts, for every
 * kind of executor, with and without submitters racing the shutdown.
 */
class ShutdownAccountingTest {

  private static final int TASKS = 100_000;
  /** Trials per case; raise it for a longer soak: {@code -Dperfkit.stress.trials=50}. */
  private static final int TRIALS = Integer.getInteger("perfkit.stress.trials", 4);

  /** Each kind of executor the builders can make, with its usual concurrency. */
  enum Kind {
    IO(4, c -> Parallel.io("io").maxConcurrency(c)), // virtual threads on 21+, a pool on 17
    IO_PLATFORM(4, c -> Parallel.io("io-platform").maxConcurrency(c).platformThreads()),
    IO_LIMITED(4, c -> Parallel.io("io-limited").maxConcurrency(c)
        .limit(ConcurrencyLimit.fixed("io-limit", 2))),
    CPU(2, c -> Parallel.cpu("cpu").maxConcurrency(c)),
    CPU_LIMITED(2, c -> Parallel.cpu("cpu-limited").maxConcurrency(c)
        .limit(ConcurrencyLimit.fixed("cpu-limit", 1)));

    private final int concurrency;
    private final IntFunction<Parallel.Builder> builder;

    Kind(int concurrency, IntFunction<Parallel.Builder> builder) {
      this.concurrency = concurrency;
      this.builder = builder;
    }

    /** @return a builder with this kind's usual concurrency */
    Parallel.Builder builder() {
      return builder.apply(concurrency);
    }

    /** @return a builder with this concurrency instead */
    Parallel.Builder builder(int maxConcurrency) {
      return builder.apply(maxConcurrency);
    }
  }

  static Stream<Arguments> kindsAndSubmitters() {
    return Stream.of(Kind.values())
        .flatMap(kind -> Stream.of(0, 1, 2).map(submitters -> Arguments.of(kind, submitters)));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void shutdownNowReturnsEveryOneOfOneHundredThousandQueuedTasks(Kind kind) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blockerStarted = new CountDownLatch(1);
    AtomicInteger blockerInterrupted = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    BoundedExecutor executor = kind.builder(1).queueCapacity(TASKS).build();
    executor.execute(() -> {
      blockerStarted.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        blockerInterrupted.incrementAndGet();
      }
    });
    assertThat(blockerStarted.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < TASKS; i++) {
      executor.execute(ran::incrementAndGet);
    }
    List<Runnable> notRun = executor.shutdownNow();
    assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(notRun).hasSize(TASKS);
    assertThat(ran).hasValue(0);
    assertThat(blockerInterrupted).hasValue(1);
    assertThat(executor.queuedCount()).isZero();
  }

  @ParameterizedTest(name = "{0}, {1} concurrent submitters")
  @MethodSource("kindsAndSubmitters")
  void everyAcceptedTaskRunsOrIsReturnedExactlyOnceWhateverMomentShutdownNowComes(Kind kind,
      int submitters) throws Exception {
    Random random = new Random(kind.ordinal() * 31L + submitters);
    for (int trial = 0; trial < TRIALS; trial++) {
      Ledger ledger = new Ledger(TASKS);
      BoundedExecutor executor = kind.builder().queueCapacity(TASKS).build();
      List<List<Runnable>> notRun = new ArrayList<>();
      ledger.race(executor, submitters, random.nextInt(TASKS),
          () -> notRun.add(executor.shutdownNow()));
      assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      ledger.assertEachAcceptedTaskRanOrCameBackOnce(notRun.get(0));
      assertThat(executor.rejectedCount()).isEqualTo(TASKS - ledger.accepted());
      assertThat(executor.queuedCount()).isZero();
      assertThat(executor.activeCount()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}, {1} concurrent submitters")
  @MethodSource("kindsAndSubmitters")
  void closeRunsEveryAcceptedTaskWhileSubmittersRaceIt(Kind kind, int submitters)
      throws Exception {
    Random random = new Random(kind.ordinal() * 17L + submitters);
    for (int trial = 0; trial < TRIALS; trial++) {
      Ledger ledger = new Ledger(TASKS);
      BoundedExecutor executor = kind.builder().queueCapacity(TASKS).build();
      ledger.race(executor, submitters, random.nextInt(TASKS), executor::close);
      assertThat(executor.isTerminated()).isTrue();
      ledger.assertEachAcceptedTaskRanOrCameBackOnce(List.of());
      assertThat(executor.completedCount()).isEqualTo(ledger.accepted());
    }
  }

  /** Which tasks were accepted, and how often each ran. */
  private static final class Ledger {
    final AtomicIntegerArray accepted;
    final AtomicIntegerArray runs;
    final AtomicInteger attempted = new AtomicInteger();

    Ledger(int tasks) {
      accepted = new AtomicIntegerArray(tasks);
      runs = new AtomicIntegerArray(tasks);
    }

    /**
     * Submits every task, and runs {@code stop} once {@code stopAfter} submissions were attempted:
     * with no submitter threads the test thread submits, stops, and tries the rest; else the
     * submitter threads race {@code stop} on the test thread.
     */
    void race(BoundedExecutor executor, int submitters, int stopAfter, Runnable stop)
        throws InterruptedException {
      if (submitters == 0) {
        submit(executor, 0, stopAfter, 1);
        stop.run();
        submit(executor, stopAfter, runs.length(), 1);
        return;
      }
      List<Thread> threads = new ArrayList<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (int s = 0; s < submitters; s++) {
        int first = s;
        Thread t = new Thread(() -> submit(executor, first, runs.length(), submitters));
        t.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
        threads.add(t);
      }
      threads.forEach(Thread::start);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (attempted.get() < stopAfter && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      stop.run();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).as("submitter finished").isFalse();
      }
      assertThat(failure.get()).isNull();
    }

    /** Submits tasks {@code from, from + step, ...} below {@code to}; counts the accepted ones. */
    void submit(BoundedExecutor executor, int from, int to, int step) {
      for (int id = from; id < to; id += step) {
        attempted.incrementAndGet();
        try {
          executor.execute(new Counting(id, runs));
          accepted.set(id, 1);
        } catch (RejectedExecutionException e) {
          assertThat(e).isInstanceOf(RejectedTaskException.class);
        }
      }
    }

    int accepted() {
      int n = 0;
      for (int i = 0; i < accepted.length(); i++) {
        n += accepted.get(i);
      }
      return n;
    }

    void assertEachAcceptedTaskRanOrCameBackOnce(List<Runnable> notRun) {
      int[] returned = new int[runs.length()];
      for (Runnable r : notRun) {
        returned[((Counting) r).id]++;
      }
      int ran = 0;
      int lost = 0;
      int twice = 0;
      int ghosts = 0; // rejected, yet ran or came back
      for (int id = 0; id < runs.length(); id++) {
        int outcomes = runs.get(id) + returned[id];
        ran += runs.get(id);
        if (accepted.get(id) == 1) {
          lost += outcomes == 0 ? 1 : 0;
          twice += outcomes > 1 ? 1 : 0;
        } else {
          ghosts += outcomes;
        }
      }
      assertThat(new int[] {lost, twice, ghosts})
          .as("accepted tasks lost, accepted tasks run or returned twice, rejected tasks seen "
              + "(accepted %d, ran %d, returned %d)", accepted(), ran, notRun.size())
          .containsExactly(0, 0, 0);
      assertThat(ran + notRun.size()).isEqualTo(accepted());
    }
  }

  /** A task that counts its own runs. */
  private record Counting(int id, AtomicIntegerArray runs) implements Runnable {
    @Override
    public void run() {
      runs.incrementAndGet(id);
    }
  }
}
