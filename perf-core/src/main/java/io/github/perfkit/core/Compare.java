package io.github.perfkit.core;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.core.internal.Stats;
import io.github.perfkit.core.internal.ThreadMeters;
import io.github.perfkit.core.internal.Warmup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Compares alternative implementations of the same work, honestly: warm-up first (until every
 * approach's timings have settled, bounded by {@link Builder#warmupLimit}), then interleaved
 * rounds in a shuffled order (so drift and warm caches do not favour one side), every result
 * consumed (so the JIT cannot drop the work), and a verdict that accounts for noise: the speedup
 * against a baseline with a bootstrap confidence interval, and a Mann-Whitney U test.
 *
 * <pre>{@code
 * Comparison c = Compare.named("parse")
 *     .baseline("regex", () -> Parser.regex(page))
 *     .add("hand-written", () -> Parser.manual(page))
 *     .rounds(50)
 *     .build()
 *     .run();
 * System.out.print(c.text());   // p50/p95/p99, allocation, speedup [95% CI], p-value, verdict
 * }</pre>
 *
 * <p>The tool for work of about a microsecond and up (a sample is the time of
 * {@link Builder#callsPerRound} calls, read with {@link System#nanoTime()} unless
 * {@link Builder#ticker(Ticker)} set another source); for nanosecond-scale
 * microbenchmarks use JMH. Runs everything on the calling thread. Builders are not thread-safe; a
 * built {@code Compare} is immutable and may be {@link #run()} again (each run measures afresh);
 * its results are immutable.
 */
public final class Compare {

  /** The least time spent warming up by default: 200 ms. */
  public static final Duration DEFAULT_WARMUP_TIME = Duration.ofMillis(200);

  /** The most time warm-up spends waiting for the timings to settle by default: 5 s. */
  public static final Duration DEFAULT_WARMUP_LIMIT = Duration.ofNanos(Warmup.DEFAULT_LIMIT_NANOS);

  private final String name;
  private final Map<String, Supplier<?>> approaches;
  private final String baseline;
  private final int warmupRounds;
  private final Duration warmupTime;
  private final Duration warmupLimit;
  private final int rounds;
  private final int callsPerRound;
  private final Duration budget;
  private final double alpha;
  private final long seed;
  private final Ticker ticker;

  private Compare(Builder b) {
    this.name = b.name;
    this.approaches = Collections.unmodifiableMap(new LinkedHashMap<>(b.approaches));
    this.baseline = b.baseline;
    this.warmupRounds = b.warmupRounds;
    this.warmupTime = b.warmupTime;
    this.warmupLimit = b.warmupLimit;
    this.rounds = b.rounds;
    this.callsPerRound = b.callsPerRound;
    this.budget = b.budget;
    this.alpha = b.alpha;
    this.seed = b.seed;
    this.ticker = b.ticker;
  }

  /**
   * Starts a comparison.
   *
   * @param name what is compared, for reports
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder named(String name) {
    return new Builder(Require.notBlank(name, "name"));
  }

  /** @return what is compared */
  public String name() {
    return name;
  }

  /**
   * Runs the comparison on the calling thread: warm-up, then the measured rounds.
   *
   * @return the results
   */
  public Comparison run() {
    List<String> names = new ArrayList<>(approaches.keySet());
    Random order = new Random(seed);
    Map<String, double[]> samples = new LinkedHashMap<>();
    Map<String, long[]> allocated = new LinkedHashMap<>();
    names.forEach(n -> {
      samples.put(n, new double[rounds]);
      allocated.put(n, new long[rounds]);
    });
    List<String> shuffled = new ArrayList<>(names);
    boolean allocation = ThreadMeters.allocationSupported();
    long[] sample = new long[3]; // time, bytes, sink: the one timed loop warm-up and rounds share
    // the JIT's activity counts only against the real clock (a fake one is for tests)
    Warmup.Outcome warm = Warmup.run(ticker::read,
        ticker == Ticker.system() ? Warmup::jitMillis : null, names.size(), warmupRounds,
        warmupTime.toNanos(), warmupLimit.toNanos(), times -> {
          for (int i = 0; i < names.size(); i++) {
            timeCalls(approaches.get(names.get(i)), allocation, sample);
            times[i] = (double) sample[0] / callsPerRound;
          }
        });
    long deadline = budget == null ? Long.MAX_VALUE : ticker.read() + budget.toNanos();
    int done = 0;
    for (int r = 0; r < rounds; r++) {
      if (r >= 5 && ticker.read() > deadline) {
        break;
      }
      Collections.shuffle(shuffled, order);
      for (String n : shuffled) {
        timeCalls(approaches.get(n), allocation, sample);
        samples.get(n)[r] = (double) sample[0] / callsPerRound;
        allocated.get(n)[r] = allocation ? sample[1] / callsPerRound : -1;
      }
      done++;
    }
    long sink = sample[2];
    BLACKHOLE = sink;
    return summarize(names, samples, allocated, done, warm);
  }

  /**
   * Times {@link #callsPerRound} calls of one approach; the same code in warm-up and measured
   * rounds, so it is compiled by the time it measures.
   *
   * @param out {time in nanoseconds, bytes allocated, running sink}
   */
  private void timeCalls(Supplier<?> approach, boolean allocation, long[] out) {
    long sink = out[2];
    long bytes0 = allocation ? ThreadMeters.allocatedBytes() : 0;
    long t0 = ticker.read();
    for (int c = 0; c < callsPerRound; c++) {
      sink += consume(approach.get());
    }
    long t1 = ticker.read();
    long bytes1 = allocation ? ThreadMeters.allocatedBytes() : 0;
    out[0] = t1 - t0;
    out[1] = bytes1 - bytes0;
    out[2] = sink;
  }

  private Comparison summarize(List<String> names, Map<String, double[]> samples,
      Map<String, long[]> allocated, int done, Warmup.Outcome warm) {
    double[] base = Arrays.copyOf(samples.get(baseline), done);
    double[] baseSorted = base.clone();
    Arrays.sort(baseSorted);
    double baseMedian = Stats.quantile(baseSorted, 0.5);
    List<Comparison.Result> results = new ArrayList<>();
    for (String n : names) {
      double[] s = Arrays.copyOf(samples.get(n), done);
      double[] sorted = s.clone();
      Arrays.sort(sorted);
      long[] bytes = Arrays.copyOf(allocated.get(n), done);
      Arrays.sort(bytes);
      double median = Stats.quantile(sorted, 0.5);
      double mean = Arrays.stream(s).average().orElse(0);
      double speedup = baseMedian / median;
      double low = 1;
      double high = 1;
      double p = 1;
      boolean significant = false;
      if (!n.equals(baseline)) {
        double[] ratio = Stats.bootstrapRatioOfMedians(base, s, 0.95, 2_000, seed);
        low = 1 / ratio[1];
        high = 1 / ratio[0];
        p = Stats.mannWhitneyP(base, s);
        // a difference smaller than MIN_EFFECT is not one a user should act on, however sure: two
        // identical approaches read 0.04% apart "significant" under load
        significant = p < alpha && (low > 1 + Comparison.MIN_EFFECT
            || high < 1 / (1 + Comparison.MIN_EFFECT));
      }
      results.add(new Comparison.Result(n, n.equals(baseline), done, sorted[0],
          sorted[sorted.length - 1], mean, median, Stats.quantile(sorted, 0.95),
          Stats.quantile(sorted, 0.99), bytes[bytes.length / 2], speedup, low, high, p,
          significant, Arrays.stream(s).boxed().toList()));
    }
    return new Comparison(name, baseline, callsPerRound, alpha, results,
        new Comparison.Warmup(warm.rounds(), warm.nanos(), warm.settled(), warm.limitNanos()));
  }

  /**
   * Settings of a comparison. Each setting may be made once; {@link #add} may be called for every
   * approach. Not thread-safe; {@link #build()} copies, so a builder can be reused.
   */
  public static final class Builder {
    /** The most measured rounds one comparison keeps (samples live in memory). */
    public static final int MAX_ROUNDS = 1_000_000;

    private final SetOnce set = new SetOnce();
    private final String name;
    private final Map<String, Supplier<?>> approaches = new LinkedHashMap<>();
    private String baseline;
    private int warmupRounds = 5;
    private Duration warmupTime = DEFAULT_WARMUP_TIME;
    private Duration warmupLimit = DEFAULT_WARMUP_LIMIT;
    private int rounds = 30;
    private int callsPerRound = 1;
    private Duration budget;
    private double alpha = 0.01;
    private long seed = 42;
    private Ticker ticker = Ticker.system();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The approach the others are measured against (exactly one).
     *
     * @param name its name
     * @param approach the work; its result is consumed
     * @return this builder
     * @throws IllegalStateException if a baseline was set before
     */
    public Builder baseline(String name, Supplier<?> approach) {
      set.mark("baseline");
      add(name, approach);
      baseline = name;
      return this;
    }

    /**
     * Another approach.
     *
     * @param name its name, unique
     * @param approach the work; its result is consumed
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank or already added
     */
    public Builder add(String name, Supplier<?> approach) {
      Require.notBlank(name, "name");
      Require.notNull(approach, "approach");
      if (approaches.putIfAbsent(name, approach) != null) {
        throw new IllegalArgumentException("name must be unique but '" + name
            + "' is already added");
      }
      return this;
    }

    /**
     * @param rounds unmeasured rounds first at least, {@code >= 0} (default 5; warm-up also lasts at
     *     least {@link #warmupTime(Duration)}, and then until the timings settle, see
     *     {@link #warmupLimit(Duration)})
     * @return this builder
     */
    public Builder warmupRounds(int rounds) {
      set.mark("warmupRounds");
      this.warmupRounds = Require.nonNegative(rounds, "rounds");
      return this;
    }

    /**
     * Keeps warming up (whole rounds) until this much time has passed, even after
     * {@link #warmupRounds} rounds, so that short approaches reach their JIT-compiled steady state
     * before anything is measured. Long approaches are not slowed: the rounds already exceed it.
     *
     * @param time {@code >= 0} (default {@link #DEFAULT_WARMUP_TIME}; zero: rounds only)
     * @return this builder
     */
    public Builder warmupTime(Duration time) {
      set.mark("warmupTime");
      this.warmupTime = Require.nonNegative(time, "time");
      return this;
    }

    /**
     * Bounds the adaptive warm-up: once {@link #warmupRounds} and {@link #warmupTime} are done,
     * warm-up goes on until every approach's timings have settled (the medians of its last three
     * windows of five rounds agree within 3%, or within the noise of a window median when the
     * timings are noisy but not trending), but no longer than this. When the limit is hit the
     * {@link Comparison#warmup()} says so, and so do the reports.
     *
     * @param limit {@code >= 0} (default {@link #DEFAULT_WARMUP_LIMIT}; zero: the floors only,
     *     as before adaptive warm-up)
     * @return this builder
     */
    public Builder warmupLimit(Duration limit) {
      set.mark("warmupLimit");
      this.warmupLimit = Require.nonNegative(limit, "limit");
      return this;
    }

    /**
     * @param rounds measured rounds, each running every approach once in a shuffled order, in
     *     [5, {@value #MAX_ROUNDS}] (default 30); samples are kept in memory, 16 bytes per round and
     *     approach
     * @return this builder
     */
    public Builder rounds(int rounds) {
      set.mark("rounds");
      this.rounds = Require.inRange(rounds, 5, MAX_ROUNDS, "rounds");
      return this;
    }

    /**
     * @param calls calls of an approach per sample, {@code >= 1} (default 1; raise it for work
     *     under about 10 microseconds)
     * @return this builder
     */
    public Builder callsPerRound(int calls) {
      set.mark("callsPerRound");
      this.callsPerRound = Require.positive(calls, "calls");
      return this;
    }

    /**
     * Stops measuring after this much time even if fewer rounds ran (at least 5 always run).
     *
     * @param budget positive
     * @return this builder
     */
    public Builder timeBudget(Duration budget) {
      set.mark("timeBudget");
      this.budget = Require.positive(budget, "budget");
      return this;
    }

    /**
     * @param alpha the significance level of the Mann-Whitney test, in (0, 0.5) (default 0.01)
     * @return this builder
     */
    public Builder alpha(double alpha) {
      set.mark("alpha");
      if (!(alpha > 0 && alpha < 0.5)) {
        throw new IllegalArgumentException("alpha must be in (0, 0.5) but was " + alpha);
      }
      this.alpha = alpha;
      return this;
    }

    /**
     * @param seed for the round order and the bootstrap, so a run can be repeated
     * @return this builder
     */
    public Builder seed(long seed) {
      set.mark("seed");
      this.seed = seed;
      return this;
    }

    /**
     * The time source of the samples, the warm-up time and the budget (default
     * {@link Ticker#system()}); a fake one lets a test know every sample exactly.
     *
     * @param ticker reads nanoseconds
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      set.mark("ticker");
      this.ticker = Require.notNull(ticker, "ticker");
      return this;
    }

    /**
     * Creates the comparison (a copy of these settings and approaches); nothing runs yet.
     *
     * @return an immutable comparison, to {@link Compare#run()} once or more
     * @throws IllegalStateException if no baseline or no other approach was added
     */
    public Compare build() {
      Require.state(baseline != null, "baseline(...) must be set before build()");
      Require.state(approaches.size() >= 2,
          "add(...) at least one approach besides the baseline before build()");
      return new Compare(this);
    }
  }

  /** Keeps results reachable so the JIT cannot treat the work as dead. */
  static volatile long BLACKHOLE;

  /**
   * Consumes a result at a cost of nanoseconds whatever it is: its identity hash, not
   * {@code hashCode()}, which for a 32,000-character string or a list of 20,000 boxed integers
   * walks the whole value inside the timed loop (it added 15-25 us per call to such approaches and
   * put Compare's speedups 30% off JMH's).
   */
  private static long consume(Object result) {
    return result == null ? 1 : System.identityHashCode(result);
  }
}
