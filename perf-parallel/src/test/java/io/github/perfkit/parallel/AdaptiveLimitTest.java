package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.parallel.internal.AimdAlgorithm;
import io.github.perfkit.parallel.internal.GradientAlgorithm;
import io.github.perfkit.parallel.internal.LimitAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Adaptive limits against a simulated downstream whose latency rises with its concurrency: the
 * limit must settle near the knee, not grow to the ceiling (concurrency-limits #134, #137).
 */
class AdaptiveLimitTest {

  private static final int KNEE = 20;
  private static final int CEILING = 1_000;
  private static final long BASE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** A downstream with KNEE servers: beyond them, calls queue and latency grows linearly. */
  private static long latency(int concurrency) {
    return (long) (BASE_NANOS * Math.max(1.0, (double) concurrency / KNEE));
  }

  /**
   * Rounds of a client with unlimited demand: each round, {@code limit} calls run together and all
   * finish with the downstream's latency at that concurrency (+-5% noise).
   */
  private static List<Integer> simulate(LimitAlgorithm algorithm, IntToLongFunction downstream,
      int rounds, long seed) {
    Random random = new Random(seed);
    double limit = algorithm.initial();
    List<Integer> history = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      int n = Math.max(1, (int) limit);
      long rtt = downstream.applyAsLong(n);
      for (int call = 0; call < n; call++) {
        long noisy = (long) (rtt * (0.95 + 0.1 * random.nextDouble()));
        limit = algorithm.onSample(noisy, n, false, limit);
      }
      history.add((int) limit);
    }
    return history;
  }

  private static double meanOfLastHalf(List<Integer> history) {
    return history.subList(history.size() / 2, history.size()).stream()
        .mapToInt(Integer::intValue).average().orElseThrow();
  }

  private static int medianOfLastHalf(List<Integer> history) {
    List<Integer> half = new ArrayList<>(history.subList(history.size() / 2, history.size()));
    half.sort(null);
    return half.get(half.size() / 2);
  }

  private static int maxOfLastHalf(List<Integer> history) {
    return history.subList(history.size() / 2, history.size()).stream()
        .mapToInt(Integer::intValue).max().orElseThrow();
  }

  @Test
  void gradientSettlesNearTheKnee() {
    for (long seed = 1; seed <= 5; seed++) {
      List<Integer> history = simulate(new GradientAlgorithm(1, CEILING, 10, 1.5, 50),
          AdaptiveLimitTest::latency, 2_000, seed);
      assertThat(meanOfLastHalf(history)).as("seed %d: %s", seed, history.subList(1990, 2000))
          .isBetween(0.8 * KNEE, 2.0 * KNEE);
      assertThat(maxOfLastHalf(history)).isLessThan(3 * KNEE);
    }
  }

  @Test
  void gradientDoesNotCreepUpUnderModestOverload() {
    // #134: with a gradient around 0.8, Gradient2's queue headroom made the limit climb for ever.
    // Here latency grows gently past the knee (2x only at 5x the knee); tolerance 1.1 (noise 5%).
    IntToLongFunction gentle = c -> (long) (BASE_NANOS * (1 + 0.25 * Math.max(0, c - KNEE) / KNEE));
    List<Integer> history = simulate(new GradientAlgorithm(1, CEILING, 10, 1.1, 50), gentle,
        5_000, 3);
    assertThat(maxOfLastHalf(history)).isLessThan(2 * KNEE);
    assertThat(meanOfLastHalf(history)).isGreaterThan(0.7 * KNEE);
  }

  @Test
  void gradientReMeasuresTheNoLoadLatencyWhenTheDownstreamGetsSlower() {
    GradientAlgorithm gradient = new GradientAlgorithm(1, CEILING, 10, 1.5, 50);
    List<Integer> fast = simulate(gradient, AdaptiveLimitTest::latency, 1_000, 7);
    assertThat(medianOfLastHalf(fast)).isBetween((int) (0.8 * KNEE), 2 * KNEE);
    // the downstream's floor latency triples for good (same knee): without a re-measured minimum,
    // every window would look 3x inflated and the limit would sit at the floor
    List<Integer> slower = simulate(new Continue(gradient, fast.get(fast.size() - 1)),
        c -> 3 * latency(c), 1_000, 8);
    assertThat(medianOfLastHalf(slower)).isBetween((int) (0.8 * KNEE), 2 * KNEE);
  }

  @Test
  void aimdSettlesWhereLatencyCrossesItsThreshold() {
    long threshold = (long) (BASE_NANOS * 1.3); // crossed at 1.3 x the knee
    for (long seed = 1; seed <= 5; seed++) {
      List<Integer> history = simulate(new AimdAlgorithm(1, CEILING, 10, threshold, 0.9),
          AdaptiveLimitTest::latency, 2_000, seed);
      assertThat(meanOfLastHalf(history)).as("seed %d", seed).isBetween(0.8 * KNEE, 2.0 * KNEE);
      assertThat(maxOfLastHalf(history)).isLessThan(3 * KNEE);
    }
  }

  @Test
  void anUnusedLimitDoesNotGrow() {
    AimdAlgorithm aimd = new AimdAlgorithm(1, CEILING, 10, BASE_NANOS * 2, 0.9);
    double limit = aimd.initial();
    for (int i = 0; i < 10_000; i++) {
      limit = aimd.onSample(BASE_NANOS, 2, false, limit); // only 2 of 10 in use
    }
    assertThat(limit).isEqualTo(10);
  }

  @Test
  void aDropBacksOffOncePerRoundTrip() {
    AimdAlgorithm aimd = new AimdAlgorithm(1, CEILING, 100, BASE_NANOS, 0.5);
    double limit = aimd.initial();
    for (int i = 0; i < 50; i++) { // 50 drops from one overloaded round of 100 calls
      limit = aimd.onSample(BASE_NANOS, 100, true, limit);
    }
    assertThat(limit).isEqualTo(50);
  }

  /** What one run against the real downstream saw. */
  private record Run(List<Integer> limits, int peakInFlight, int highestLimit, int inFlightAfter) {
    /**
     * The most calls the limit may have running in the settled half: the highest limit seen there,
     * divided by 0.75, because a gradient window shrinks the limit by at most a quarter and never
     * pre-empts calls already running (the documented slack), rounded up.
     */
    int allowedInFlight() {
      return (int) Math.ceil(highestLimit / 0.75);
    }
  }

  /**
   * Real threads: an I/O executor (maxConcurrency 200) with unlimited demand calling a downstream
   * with 8 servers of 10 ms each, with or without a gradient limit. The calls count themselves
   * (not the limit's own bookkeeping) and read the limit as they start; the peak and the highest
   * limit are taken over the second half of the run, once the limit has settled.
   */
  private static Run runAgainstEightServers(boolean limited, long millis) throws Exception {
    int servers = 8;
    Semaphore downstream = new Semaphore(servers, true);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peakInFlight = new AtomicInteger();
    AtomicInteger highestLimit = new AtomicInteger();
    ConcurrencyLimit limit = ConcurrencyLimit.gradient("downstream").floor(1).ceiling(200)
        .initial(4).window(20).build();
    List<Integer> limits = new java.util.concurrent.CopyOnWriteArrayList<>();
    Parallel.Builder builder = Parallel.io("adaptive").maxConcurrency(200);
    try (BoundedExecutor io = (limited ? builder.limit(limit) : builder).build()) {
      long start = System.nanoTime();
      long settled = start + TimeUnit.MILLISECONDS.toNanos(millis / 2);
      long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
      Thread sampler = new Thread(() -> {
        while (System.nanoTime() < end) {
          limits.add(limit.limit());
          sleep(25);
        }
      });
      sampler.start();
      io.forEachOrdered(IntStream.iterate(0, i -> System.nanoTime() < end, i -> i + 1).iterator(),
          i -> {
            int running = concurrent.incrementAndGet();
            int current = limit.limit();
            if (System.nanoTime() >= settled) {
              peakInFlight.accumulateAndGet(running, Math::max);
              highestLimit.accumulateAndGet(current, Math::max);
            }
            try {
              downstream.acquireUninterruptibly();
              try {
                sleep(10);
              } finally {
                downstream.release();
              }
            } finally {
              concurrent.decrementAndGet();
            }
            return i;
          }, 400, r -> { });
      sampler.join();
    }
    return new Run(limits, peakInFlight.get(), highestLimit.get(), limit.inFlight());
  }

  @Test
  void executorLimitSettlesAgainstARealDownstreamAndBoundsWhatRuns() throws Exception {
    Run run = runAgainstEightServers(true, 2_500);
    double settled = meanOfLastHalf(run.limits());
    assertThat(settled).as("limits %s", run.limits()).isBetween(2.0, 4.0 * 8);
    assertThat(run.inFlightAfter()).isZero();
    // maxConcurrency(200) alone would allow 200: this bound is the adaptive limit's own
    assertThat(run.peakInFlight()).as("calls running at once, limits %s", run.limits())
        .isPositive().isLessThanOrEqualTo(run.allowedInFlight());
    assertThat(run.allowedInFlight()).isLessThan(200);
  }

  /**
   * The same run with the limit left out of the executor: the calls flood the downstream up to
   * maxConcurrency, far past what the (unused) limit allows, so the bound above is one that only
   * a working limit meets.
   */
  @Test
  void withoutTheLimitTheSameCheckSeesTheDownstreamFlooded() throws Exception {
    Run run = runAgainstEightServers(false, 1_000);
    assertThat(run.highestLimit()).isEqualTo(4); // never fed: still the initial limit
    assertThat(run.peakInFlight()).isGreaterThan(run.allowedInFlight());
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> ConcurrencyLimit.fixed("x", 0)).hasMessageContaining("limit");
    assertThatThrownBy(() -> ConcurrencyLimit.fixed(null, 1)).hasMessageContaining("name");
    assertThatThrownBy(() -> ConcurrencyLimit.gradient("x").floor(0)).hasMessageContaining("floor");
    assertThatThrownBy(() -> ConcurrencyLimit.gradient("x").floor(10).ceiling(5).build())
        .hasMessageContaining("ceiling");
    assertThatThrownBy(() -> ConcurrencyLimit.gradient("x").tolerance(0.5))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> ConcurrencyLimit.aimd("x").latencyThreshold(Duration.ZERO))
        .hasMessageContaining("latencyThreshold");
    assertThatThrownBy(() -> ConcurrencyLimit.aimd("x").backoffRatio(1.0))
        .hasMessageContaining("backoffRatio");
  }

  @Test
  void aPermitIsReleasedOnce() throws Exception {
    ConcurrencyLimit limit = ConcurrencyLimit.fixed("once", 1);
    ConcurrencyLimit.Permit permit = limit.acquire();
    assertThat(limit.tryAcquire()).isEmpty();
    permit.release();
    assertThatThrownBy(permit::release).isInstanceOf(IllegalStateException.class);
    assertThat(limit.inFlight()).isZero();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Continues an algorithm from a given limit. */
  private record Continue(LimitAlgorithm algorithm, double from) implements LimitAlgorithm {
    @Override
    public double initial() {
      return from;
    }

    @Override
    public double onSample(long rttNanos, int inFlight, boolean dropped, double limit) {
      return algorithm.onSample(rttNanos, inFlight, dropped, limit);
    }

    @Override
    public String describe() {
      return algorithm.describe();
    }
  }
}
