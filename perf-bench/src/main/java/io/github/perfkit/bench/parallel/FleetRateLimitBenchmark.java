package io.github.perfkit.bench.parallel;

import io.github.perfkit.parallel.Guard;
import io.github.perfkit.parallel.redis.FleetRateLimit;
import io.github.perfkit.testkit.LoopbackServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * The cost of one granted permit: perfkit's in-process {@code Guard.rateLimit}, the fleet limit on
 * the loopback Redis with local reservations (batches of up to 100 permits per round trip), the
 * same fleet limit taking one permit per round trip ({@code maxBatch(1)}: what the Lua script alone
 * costs), and a hand-written fixed-window limiter doing {@code INCR} (+ {@code EXPIRE} on a new
 * window) per call. Every limit is far above what the benchmark can take, so every call is granted
 * and none waits. Nanoseconds per call; {@code fleetRoundTrips} (an aux counter) gives the Redis
 * round trips per call of the reservation contender.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar FleetRateLimitBenchmark} (needs Redis
 * on 127.0.0.1:6379).
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FleetRateLimitBenchmark {

  static Integer work(Integer i) {
    return i + 1;
  }

  static String uri() {
    var redis = LoopbackServices.redis();
    return "redis://" + redis.host() + ":" + redis.port();
  }

  @State(Scope.Benchmark)
  public static class Local {
    Function<Integer, Integer> fn;

    @Setup
    public void setUp() {
      fn = Guard.named("local").rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1)).build()
          .wrap(FleetRateLimitBenchmark::work);
    }
  }

  @State(Scope.Benchmark)
  public static class Fleet {
    FleetRateLimit batched;
    FleetRateLimit single;
    Function<Integer, Integer> batchedFn;
    Function<Integer, Integer> singleFn;

    @Setup
    public void setUp() {
      String id = UUID.randomUUID().toString();
      batched = FleetRateLimit.redis(uri(), "bench-batched-" + id, 100_000_000,
          Duration.ofSeconds(1)).maxBatch(100).build();
      single = FleetRateLimit.redis(uri(), "bench-single-" + id, 100_000_000,
          Duration.ofSeconds(1)).maxBatch(1).build();
      batchedFn = Guard.named("batched").rateLimiter(batched.asRateLimiter()).build()
          .wrap(FleetRateLimitBenchmark::work);
      singleFn = Guard.named("single").rateLimiter(single.asRateLimiter()).build()
          .wrap(FleetRateLimitBenchmark::work);
    }

    @TearDown
    public void tearDown() {
      var s = batched.stats();
      if (s.granted() > 0) {
        System.out.printf("%nfleetWithReservation: %d permits, %d Redis round trips = %.4f per"
            + " call%n", s.granted(), s.redisRoundTrips(), (double) s.redisRoundTrips() / s.granted());
      }
      batched.close();
      single.close();
    }
  }

  @State(Scope.Benchmark)
  public static class IncrExpire {
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    String prefix;

    @Setup
    public void setUp() {
      client = RedisClient.create(uri());
      connection = client.connect();
      redis = connection.sync();
      prefix = "bench:incr:" + UUID.randomUUID() + ":";
    }

    /** The limiter users write by hand: a counter per one-second window. */
    boolean tryAcquire(long limit) {
      String key = prefix + (System.currentTimeMillis() / 1_000);
      long n = redis.incr(key);
      if (n == 1) {
        redis.expire(key, 2);
      }
      return n <= limit;
    }

    @TearDown
    public void tearDown() {
      connection.close();
      client.shutdown();
    }
  }

  /** Round trips to Redis per call of {@link #fleetWithReservation}. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Trips {
    long startTrips;
    long startGranted;
    public long fleetRoundTrips;
    public long fleetGranted;

    @Setup(Level.Iteration)
    public void start(Fleet fleet) {
      startTrips = fleet.batched.stats().redisRoundTrips();
      startGranted = fleet.batched.stats().granted();
    }

    @TearDown(Level.Iteration)
    public void stop(Fleet fleet) {
      fleetRoundTrips = fleet.batched.stats().redisRoundTrips() - startTrips;
      fleetGranted = fleet.batched.stats().granted() - startGranted;
    }
  }

  @State(Scope.Thread)
  public static class Input {
    int i;
  }

  @Benchmark
  public Integer localGuardRateLimit(Local local, Input in) {
    return local.fn.apply(in.i++);
  }

  @Benchmark
  public Integer fleetWithReservation(Fleet fleet, Input in, Trips trips) {
    return fleet.batchedFn.apply(in.i++);
  }

  @Benchmark
  public Integer fleetOneRoundTripPerCall(Fleet fleet, Input in) {
    return fleet.singleFn.apply(in.i++);
  }

  @Benchmark
  public Integer incrExpirePerCall(IncrExpire limiter, Input in) {
    if (!limiter.tryAcquire(Long.MAX_VALUE)) {
      throw new IllegalStateException("not permitted");
    }
    return work(in.i++);
  }
}
