package io.github.perfkit.bench.parallel;

import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import io.github.perfkit.parallel.RequestBatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4 (d): 10,000 single calls to a simulated downstream that costs 5 ms per call (whatever the
 * number of keys in it) and serves at most 10 calls at once, made by 1,000 concurrent callers on
 * perfkit's I/O executor: each caller calling the downstream itself, against each caller going
 * through a {@link RequestBatcher} (at most 100 keys or 2 ms per batch). Reports the time per 10,000
 * calls and, as {@code downstreamCalls}, how many calls reached the downstream.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar BatchingBenchmark}.
 */
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class BatchingBenchmark {

  static final int CALLS = 10_000;

  /** The downstream: 5 ms per call, 10 calls at once. */
  @State(Scope.Benchmark)
  public static class Downstream {
    final Semaphore servers = new Semaphore(10, true);
    final AtomicLong calls = new AtomicLong();
    BoundedExecutor callers;
    RequestBatcher<Integer, String> batcher;
    List<Integer> keys;

    @Setup(Level.Trial)
    public void setUp() {
      callers = Parallel.io("callers").maxConcurrency(1_000).build();
      batcher = RequestBatcher.<Integer, String>builder("downstream", this::fetchAll)
          .maxBatchSize(100).maxDelay(Duration.ofMillis(2)).build();
      keys = IntStream.range(0, CALLS).boxed().toList();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      batcher.close();
      callers.close();
    }

    String fetch(int key) {
      return fetchAll(Set.of(key)).get(key);
    }

    Map<Integer, String> fetchAll(Set<Integer> ids) {
      servers.acquireUninterruptibly();
      try {
        calls.incrementAndGet();
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        servers.release();
      }
      Map<Integer, String> out = new HashMap<>();
      for (int id : ids) {
        out.put(id, "v" + id);
      }
      return out;
    }
  }

  /** Calls that reached the downstream, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counted {
    public long downstreamCalls;
  }

  @Benchmark
  public List<String> singleCalls(Downstream d, Counted counted) {
    long before = d.calls.get();
    List<String> out = d.callers.map(d.keys, d::fetch);
    counted.downstreamCalls += d.calls.get() - before;
    return out;
  }

  @Benchmark
  public List<String> batchedCalls(Downstream d, Counted counted) {
    long before = d.calls.get();
    List<String> out = d.callers.map(d.keys, d.batcher::get);
    counted.downstreamCalls += d.calls.get() - before;
    return out;
  }
}
