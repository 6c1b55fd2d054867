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
 * Caffeine {@code getIfPresent} without stats, {@code ConcurrentHashMap.get} and a Guava
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

  @State(Scope.Benchmark)
  public static class Caches {
    Integer[] keys;
    MemoizedFunction<Integer, Integer> memoized;
    LoadingCache<Integer, Integer> caffeineStats;
    Cache<Integer, Integer> caffeinePlain;
    ConcurrentHashMap<Integer, Integer> map;
    com.google.common.cache.LoadingCache<Integer, Integer> guava;

    @Setup
    public void setUp() {
      keys = new Integer[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = i;
      }
      memoized = Memoizer.named("bench").maximumSize(10_000).memoize(k -> k * 2);
      memoized.bindTo(new SimpleMeterRegistry());
      caffeineStats = Caffeine.newBuilder().maximumSize(10_000).recordStats().build(k -> k * 2);
      caffeinePlain = Caffeine.newBuilder().maximumSize(10_000).build();
      map = new ConcurrentHashMap<>();
      guava = CacheBuilder.newBuilder().maximumSize(10_000).recordStats()
          .build(CacheLoader.from(k -> k * 2));
      for (Integer k : keys) {
        memoized.apply(k);
        caffeineStats.get(k);
        caffeinePlain.put(k, k * 2);
        map.put(k, k * 2);
        guava.getUnchecked(k);
      }
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int i;

    Integer next(Integer[] keys) {
      i = (i + 617) & (KEYS - 1); // odd stride: visits every key, no simple sequence
      return keys[i];
    }
  }

  @Benchmark
  public Integer memoizedHit(Caches c, Cursor k) {
    return c.memoized.apply(k.next(c.keys));
  }

  @Benchmark
  public Integer caffeineLoadingGetWithStats(Caches c, Cursor k) {
    return c.caffeineStats.get(k.next(c.keys));
  }

  @Benchmark
  public Integer caffeineGetIfPresent(Caches c, Cursor k) {
    return c.caffeinePlain.getIfPresent(k.next(c.keys));
  }

  @Benchmark
  public Integer concurrentHashMapGet(Caches c, Cursor k) {
    return c.map.get(k.next(c.keys));
  }

  @Benchmark
  public Integer guavaLoadingGet(Caches c, Cursor k) {
    return c.guava.getUnchecked(k.next(c.keys));
  }

  @Benchmark
  @Threads(2)
  public Integer memoizedHit2Threads(Caches c, Cursor k) {
    return c.memoized.apply(k.next(c.keys));
  }

  @Benchmark
  @Threads(2)
  public Integer caffeineLoadingGetWithStats2Threads(Caches c, Cursor k) {
    return c.caffeineStats.get(k.next(c.keys));
  }

  @Benchmark
  @Threads(2)
  public Integer caffeineGetIfPresent2Threads(Caches c, Cursor k) {
    return c.caffeinePlain.getIfPresent(k.next(c.keys));
  }

  @Benchmark
  @Threads(2)
  public Integer concurrentHashMapGet2Threads(Caches c, Cursor k) {
    return c.map.get(k.next(c.keys));
  }

  @Benchmark
  @Threads(2)
  public Integer guavaLoadingGet2Threads(Caches c, Cursor k) {
    return c.guava.getUnchecked(k.next(c.keys));
  }
}
