package io.github.perfkit.bench.parallel;

import io.github.perfkit.parallel.ConcurrencyLimit;
import io.github.perfkit.parallel.Guard;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost a {@link Guard} and a {@link ConcurrencyLimit} add to one call, beside what a user would
 * write instead: Resilience4j's own decorators (a rate limit that never binds, and a retry that never
 * fires) and a bare {@link Semaphore}. Nanoseconds per call, one state per contender.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar GuardBenchmark} (add {@code -t 2} for
 * two threads).
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardBenchmark {

  static Integer work(Integer i) {
    return i + 1;
  }

  static RateLimiter limiter(String name) {
    return RateLimiter.of(name, RateLimiterConfig.custom().limitForPeriod(Integer.MAX_VALUE)
        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
  }

  static Retry retry(String name) {
    return Retry.of(name, RetryConfig.custom().maxAttempts(3).build());
  }

  @State(Scope.Benchmark)
  public static class Raw {
    Function<Integer, Integer> fn;

    @Setup
    public void setUp() {
      fn = Retry.decorateFunction(retry("raw"),
          RateLimiter.decorateFunction(limiter("raw"), GuardBenchmark::work));
    }
  }

  @State(Scope.Benchmark)
  public static class Guarded {
    Function<Integer, Integer> fn;

    @Setup
    public void setUp() {
      fn = Guard.named("guarded").rateLimiter(limiter("guarded")).retry(retry("guarded")).build()
          .wrap(GuardBenchmark::work);
    }
  }

  @State(Scope.Benchmark)
  public static class Bare {
    final Semaphore semaphore = new Semaphore(64);
  }

  @State(Scope.Benchmark)
  public static class Limited {
    final ConcurrencyLimit limit = ConcurrencyLimit.fixed("limited", 64);
    final ConcurrencyLimit adaptive = ConcurrencyLimit.gradient("adaptive").initial(64).build();
  }

  @State(Scope.Thread)
  public static class Input {
    int i;
  }

  @Benchmark
  public Integer resilience4jDecorators(Raw raw, Input in) {
    return raw.fn.apply(in.i++);
  }

  @Benchmark
  public Integer perfkitGuard(Guarded guarded, Input in) {
    return guarded.fn.apply(in.i++);
  }

  @Benchmark
  public Integer semaphore(Bare bare, Input in) throws InterruptedException {
    bare.semaphore.acquire();
    try {
      return work(in.i++);
    } finally {
      bare.semaphore.release();
    }
  }

  @Benchmark
  public Integer fixedLimit(Limited limited, Input in) throws Exception {
    return limited.limit.call(() -> work(in.i++));
  }

  @Benchmark
  public Integer gradientLimit(Limited limited, Input in) throws Exception {
    return limited.adaptive.call(() -> work(in.i++));
  }
}
