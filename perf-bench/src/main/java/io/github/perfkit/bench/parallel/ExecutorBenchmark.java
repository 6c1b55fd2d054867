package io.github.perfkit.bench.parallel;

import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * perf-parallel's executors beside what a user would use instead, in one run:
 * <ul>
 *   <li>{@code makespan*}: 2,000 tasks sleeping 10 ms at a limit of 100 (ideal: ceil(2000/100) x 10 ms
 *       = 200 ms; sequential: 20 s, not run). Milliseconds per batch.
 *   <li>{@code tinyTasks*}: per-task overhead of 100,000 tiny tasks, perfkit's CPU executor with 2
 *       threads against a raw {@link ThreadPoolExecutor} and a raw {@link ForkJoinPool} with 2
 *       threads. Nanoseconds per task.
 *   <li>{@code cpuMap*}: a CPU-bound map of 64 items on the CPU executor against a sequential loop.
 * </ul>
 * Run: {@code java -jar perf-bench/target/benchmarks.jar ExecutorBenchmark}.
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorBenchmark {

  static final int TASKS = 2_000;
  static final int TINY = 100_000;

  @State(Scope.Benchmark)
  public static class Executors2 {
    BoundedExecutor io;
    BoundedExecutor cpu;
    ThreadPoolExecutor rawPool;
    ForkJoinPool rawForkJoin;
    List<Integer> tasks;
    List<Integer> cpuItems;

    @Setup(Level.Trial)
    public void setUp() {
      io = Parallel.io("bench-io").maxConcurrency(100).build();
      cpu = Parallel.cpu("bench-cpu").maxConcurrency(2).queueCapacity(TINY).build();
      rawPool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
      rawForkJoin = new ForkJoinPool(2);
      tasks = IntStream.range(0, TASKS).boxed().toList();
      cpuItems = IntStream.range(0, 64).boxed().toList();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      io.close();
      cpu.close();
      rawPool.shutdown();
      rawForkJoin.shutdown();
    }
  }

  static int sleep10(int i) {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return i;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 10)
  public List<Integer> makespanPerfkitIo(Executors2 e) {
    return e.io.map(e.tasks, ExecutorBenchmark::sleep10);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 10)
  public int makespanFixedPoolOf100(Blackhole bh) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(100);
    try {
      List<Future<Integer>> futures = new ArrayList<>(TASKS);
      for (int i = 0; i < TASKS; i++) {
        int n = i;
        futures.add(pool.submit(() -> sleep10(n)));
      }
      int sum = 0;
      for (Future<Integer> f : futures) {
        sum += f.get();
      }
      return sum;
    } finally {
      pool.shutdown();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(TINY)
  public void tinyTasksPerfkitCpu(Executors2 e) throws InterruptedException {
    tinyTasks(e.cpu);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(TINY)
  public void tinyTasksRawThreadPool(Executors2 e) throws InterruptedException {
    tinyTasks(e.rawPool);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(TINY)
  public void tinyTasksRawForkJoinPool(Executors2 e) throws InterruptedException {
    tinyTasks(e.rawForkJoin);
  }

  /** {@code TINY} tasks that only count down a latch, submitted one by one, then awaited. */
  private static void tinyTasks(java.util.concurrent.Executor executor)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(TINY);
    for (int i = 0; i < TINY; i++) {
      executor.execute(done::countDown);
    }
    done.await();
  }

  /** About 0.2 ms of work the JIT cannot fold: a dependent xorshift chain. */
  static long burn(int seed) {
    long x = seed + 0x9E3779B97F4A7C15L;
    for (int i = 0; i < 200_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Long> cpuMapPerfkit(Executors2 e) {
    return e.cpu.map(e.cpuItems, ExecutorBenchmark::burn);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Long> cpuMapSequential(Executors2 e) {
    List<Long> out = new ArrayList<>(e.cpuItems.size());
    for (int i : e.cpuItems) {
      out.add(burn(i));
    }
    return out;
  }
}
