package io.github.perfkit.bench.cache;

import io.github.perfkit.cache.redis.KeyCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.cache.redis.ValueCodec;
import io.github.perfkit.testkit.LoopbackServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * perf-cache-redis side by side, against the loopback Redis: an L1 hit, an L2 hit (the near cache
 * entry dropped locally first), a raw Lettuce {@code GET} of the same value, and the loader it saves
 * (a simulated 1 ms remote call); and 100 keys read from L2 one {@code GET} at a time against one
 * {@code getAll} ({@code MGET}). Microseconds per operation.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar RedisTierBenchmark}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisTierBenchmark {

  static String loader(long key) {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "value-of-" + key + "-" + "x".repeat(100);
  }

  @State(Scope.Benchmark)
  public static class Tier {
    TieredFunction<Long, String> tier;
    RedisClient raw;
    StatefulRedisConnection<String, String> rawConnection;
    List<Long> hundred;
    String rawKey;

    @Setup(Level.Trial)
    public void setUp() {
      var redis = LoopbackServices.redis();
      String uri = "redis://" + redis.host() + ":" + redis.port();
      tier = RedisTier.<Long, String>named("bench-" + UUID.randomUUID().toString().substring(0, 8))
          .redis(uri).keys(KeyCodec.longs()).values(ValueCodec.strings())
          .l1(10_000, Duration.ofMinutes(10)).l2Ttl(Duration.ofMinutes(10))
          .build(RedisTierBenchmark::loader);
      hundred = LongStream.range(0, 100).boxed().toList();
      tier.getAll(hundred);
      raw = RedisClient.create(uri);
      rawConnection = raw.connect();
      rawKey = "perfkit:bench:raw";
      rawConnection.sync().set(rawKey, loader(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      tier.invalidateAll();
      tier.close();
      rawConnection.sync().del(rawKey);
      rawConnection.close();
      raw.shutdown();
    }
  }

  @Benchmark
  public String l1Hit(Tier t) {
    return t.tier.apply(7L);
  }

  @Benchmark
  public String l2Hit(Tier t) {
    t.tier.l1().invalidate(7L); // this instance only: the next call reads Redis
    return t.tier.apply(7L);
  }

  @Benchmark
  public String rawLettuceGet(Tier t) {
    return t.rawConnection.sync().get(t.rawKey);
  }

  @Benchmark
  public String loaderCall() {
    return loader(7L);
  }

  @Benchmark
  public void l2HundredKeysOneByOne(Tier t, Blackhole bh) {
    t.tier.l1().invalidateAll(t.hundred);
    for (Long k : t.hundred) {
      bh.consume(t.tier.apply(k));
    }
  }

  @Benchmark
  public Map<Long, String> l2HundredKeysGetAll(Tier t) {
    t.tier.l1().invalidateAll(t.hundred);
    return t.tier.getAll(t.hundred);
  }
}
