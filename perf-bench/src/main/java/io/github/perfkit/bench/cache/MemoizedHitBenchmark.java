package io.github.perfkit.bench.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit: perfkit's memoized function (with all of its hit-rate tracking on and bound to a
 * Micrometer registry) beside a raw Caffeine {@code LoadingCache.get} with {@code recordStats()}, a
 * Caffeine {@code getIfPresent} with and without stats, {@code ConcurrentHashMap.get} and a Guava
 * {@code LoadingCache} hit, on one and two threads. 1,024 keys, all present, read in a spread order.
 *
 * <p>Run quickly: {@code java -jar perf-bench/target/benchmarks.jar MemoizedHitBenchmark -f 1 -wi 2
 * -i 3 -w 1s -r 1s}; add {@code -prof gc} for allocation per hit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoizedHitBenchmark {

  static final int KEYS = 1024;

  static final Integer[] KEY_OBJECTS = new Integer[KEYS];

  static {
    for (int i = 0; i < KEYS; i++) {
      KEY_OBJECTS[i] = i;
    }
  }

  // One state per contender, so each benchmark's fork builds and warms only the structure it
  // measures: shared Caffeine code then sees one cache class and is not profiled polymorphically.

  /** perfkit: all tracking on, bound to a Micrometer registry. */
  @State(Scope.Benchmark)
  public static class Memo {
    MemoizedFunction<Integer, Integer> memoized;

    @Setup
    public void setUp() {
      memoized = Memoizer.named("bench").maximumSize(10_000).build(k -> k * 2);
      memoized.metrics().bindTo(new SimpleMeterRegistry());
      for (Integer k : KEY_OBJECTS) {
        memoized.apply(k);
      }
    }
  }

  /** Caffeine {@code LoadingCache} with {@code recordStats()}. */
  @State(Scope.Benchmark)
  public static class CaffeineStats {
    LoadingCache<Integer, Integer> cache;

    @Setup
    public void setUp() {
      cache = Caffeine.newBuilder().maximumSize(10_000).recordStats().build(k -> k * 2);
      for (Integer k : KEY_OBJECTS) {
        cache.get(k);
      }
    }
  }

  /**
   * Caffeine {@code Cache} with {@code recordStats()}, read with {@code getIfPresent}: the same Caffeine
   * call a memoized hit makes, to tell Caffeine's share of a hit from perfkit's.
   */
  @State(Scope.Benchmark)
  public static class CaffeineStatsManual {
    Cache<Integer, Integer> cache;

    @Setup
    public void setUp() {
      cache = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
      for (Integer k : KEY_OBJECTS) {
        cache.put(k, k * 2);
      }
    }
  }

  /** Caffeine {@code Cache} without stats. */
  @State(Scope.Benchmark)
  public static class CaffeinePlain {
    Cache<Integer, Integer> cache;

    @Setup
    public void setUp() {
      cache = Caffeine.newBuilder().maximumSize(10_000).build();
      for (Integer k : KEY_OBJECTS) {
        cache.put(k, k * 2);
      }
    }
  }

  /** {@code ConcurrentHashMap}. */
  @State(Scope.Benchmark)
  public static class Chm {
    ConcurrentHashMap<Integer, Integer> map;

    @Setup
    public void setUp() {
      map = new ConcurrentHashMap<>();
      for (Integer k : KEY_OBJECTS) {
        map.put(k, k * 2);
      }
    }
  }

  /** Guava {@code LoadingCache} with {@code recordStats()}. */
  @State(Scope.Benchmark)
  public static class Guava {
    com.google.common.cache.LoadingCache<Integer, Integer> cache;

    @Setup
    public void setUp() {
      cache = CacheBuilder.newBuilder().maximumSize(10_000).recordStats()
          .build(CacheLoader.from(k -> k * 2));
      for (Integer k : KEY_OBJECTS) {
        cache.getUnchecked(k);
      }
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int i;

    Integer next() {
      i = (i + 617) & (KEYS - 1); // odd stride: visits every key, no simple sequence
      return KEY_OBJECTS[i];
    }
  }

  @Benchmark
  public Integer memoizedHit(Memo c, Cursor k) {
    return c.memoized.apply(k.next());
  }

  @Benchmark
  public Integer caffeineLoadingGetWithStats(CaffeineStats c, Cursor k) {
    return c.cache.get(k.next());
  }

  @Benchmark
  public Integer caffeineGetIfPresentWithStats(CaffeineStatsManual c, Cursor k) {
    return c.cache.getIfPresent(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer caffeineGetIfPresentWithStats2Threads(CaffeineStatsManual c, Cursor k) {
    return c.cache.getIfPresent(k.next());
  }

  @Benchmark
  public Integer caffeineGetIfPresent(CaffeinePlain c, Cursor k) {
    return c.cache.getIfPresent(k.next());
  }

  @Benchmark
  public Integer concurrentHashMapGet(Chm c, Cursor k) {
    return c.map.get(k.next());
  }

  @Benchmark
  public Integer guavaLoadingGet(Guava c, Cursor k) {
    return c.cache.getUnchecked(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer memoizedHit2Threads(Memo c, Cursor k) {
    return c.memoized.apply(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer caffeineLoadingGetWithStats2Threads(CaffeineStats c, Cursor k) {
    return c.cache.get(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer caffeineGetIfPresent2Threads(CaffeinePlain c, Cursor k) {
    return c.cache.getIfPresent(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer concurrentHashMapGet2Threads(Chm c, Cursor k) {
    return c.map.get(k.next());
  }

  @Benchmark
  @Threads(2)
  public Integer guavaLoadingGet2Threads(Guava c, Cursor k) {
    return c.cache.getUnchecked(k.next());
  }
}
