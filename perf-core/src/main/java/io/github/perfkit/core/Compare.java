package io.github.perfkit.core;

import io.github.perfkit.core.internal.Stats;
import io.github.perfkit.core.internal.ThreadMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Compares alternative implementations of the same work, honestly: warm-up first, then interleaved
 * rounds in a shuffled order (so drift and warm caches do not favour one side), every result
 * consumed (so the JIT cannot drop the work), and a verdict that accounts for noise: the speedup
 * against a baseline with a bootstrap confidence interval, and a Mann-Whitney U test.
 *
 * <pre>{@code
 * Comparison c = Compare.named("parse")
 *     .baseline("regex", () -> Parser.regex(page))
 *     .add("hand-written", () -> Parser.manual(page))
 *     .rounds(50)
 *     .run();
 * System.out.print(c.text());   // p50/p95/p99, allocation, speedup [95% CI], p-value, verdict
 * }</pre>
 *
 * <p>The tool for work of about a microsecond and up (a sample is the time of
 * {@link Builder#callsPerRound} calls, read with {@link System#nanoTime()}); for nanosecond-scale
 * microbenchmarks use JMH. Runs everything on the calling thread. Builders are not thread-safe;
 * results are immutable.
 */
public final class Compare {

  /** The least time spent warming up by default: 200 ms. */
  public static final Duration DEFAULT_WARMUP_TIME = Duration.ofMillis(200);

  private Compare() {}

  /**
   * Starts a comparison.
   *
   * @param name what is compared, for reports
   * @return a builder
   */
  public static Builder named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return new Builder(name);
  }

  /** Settings of a comparison. */
  public static final class Builder {
    private final String name;
    private final Map<String, Supplier<?>> approaches = new LinkedHashMap<>();
    private String baseline;
    private int warmupRounds = 5;
    private Duration warmupTime = DEFAULT_WARMUP_TIME;
    private int rounds = 30;
    private int callsPerRound = 1;
    private Duration budget;
    private double alpha = 0.01;
    private long seed = 42;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The approach the others are measured against (exactly one).
     *
     * @param name its name
     * @param approach the work; its result is consumed
     * @return this builder
     */
    public Builder baseline(String name, Supplier<?> approach) {
      if (baseline != null) {
        throw new IllegalStateException("baseline is already '" + baseline + "'");
      }
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
     */
    public Builder add(String name, Supplier<?> approach) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(approach, "approach");
      if (approaches.putIfAbsent(name, approach) != null) {
        throw new IllegalArgumentException("approach '" + name + "' is already added");
      }
      return this;
    }

    /**
     * @param rounds unmeasured rounds first, {@code >= 0} (default 5; warm-up also lasts at least
     *     {@link #warmupTime(Duration)})
     * @return this builder
     */
    public Builder warmupRounds(int rounds) {
      if (rounds < 0) {
        throw new IllegalArgumentException("rounds must be >= 0 but was " + rounds);
      }
      this.warmupRounds = rounds;
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
      Objects.requireNonNull(time, "time");
      if (time.isNegative()) {
        throw new IllegalArgumentException("time must be >= 0 but was " + time);
      }
      this.warmupTime = time;
      return this;
    }

    /**
     * @param rounds measured rounds, each running every approach once in a shuffled order,
     *     {@code >= 5} (default 30)
     * @return this builder
     */
    public Builder rounds(int rounds) {
      if (rounds < 5) {
        throw new IllegalArgumentException("rounds must be >= 5 but was " + rounds);
      }
      this.rounds = rounds;
      return this;
    }

    /**
     * @param calls calls of an approach per sample, {@code >= 1} (default 1; raise it for work
     *     under about 10 microseconds)
     * @return this builder
     */
    public Builder callsPerRound(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be >= 1 but was " + calls);
      }
      this.callsPerRound = calls;
      return this;
    }

    /**
     * Stops measuring after this much time even if fewer rounds ran (at least 5 always run).
     *
     * @param budget positive
     * @return this builder
     */
    public Builder timeBudget(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("budget must be positive but was " + budget);
      }
      this.budget = budget;
      return this;
    }

    /**
     * @param alpha the significance level of the Mann-Whitney test, in (0, 0.5) (default 0.01)
     * @return this builder
     */
    public Builder alpha(double alpha) {
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
      this.seed = seed;
      return this;
    }

    /**
     * Runs the comparison on the calling thread.
     *
     * @return the results
     */
    public Comparison run() {
      if (baseline == null) {
        throw new IllegalStateException("baseline(...) must be set");
      }
      if (approaches.size() < 2) {
        throw new IllegalStateException("add(...) at least one approach besides the baseline");
      }
      List<String> names = new ArrayList<>(approaches.keySet());
      Random order = new Random(seed);
      Map<String, double[]> samples = new LinkedHashMap<>();
      Map<String, long[]> allocated = new LinkedHashMap<>();
      names.forEach(n -> {
        samples.put(n, new double[rounds]);
        allocated.put(n, new long[rounds]);
      });
      long sink = 0;
      List<String> shuffled = new ArrayList<>(names);
      long warmupEnd = System.nanoTime() + warmupTime.toNanos();
      for (int w = 0; w < warmupRounds || System.nanoTime() - warmupEnd < 0; w++) {
        for (String n : names) {
          for (int c = 0; c < callsPerRound; c++) {
            sink += consume(approaches.get(n).get());
          }
        }
      }
      long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
      int done = 0;
      boolean allocation = ThreadMeters.allocationSupported();
      for (int r = 0; r < rounds; r++) {
        if (r >= 5 && System.nanoTime() > deadline) {
          break;
        }
        Collections.shuffle(shuffled, order);
        for (String n : shuffled) {
          Supplier<?> approach = approaches.get(n);
          long bytes0 = allocation ? ThreadMeters.allocatedBytes() : 0;
          long t0 = System.nanoTime();
          for (int c = 0; c < callsPerRound; c++) {
            sink += consume(approach.get());
          }
          long t1 = System.nanoTime();
          long bytes1 = allocation ? ThreadMeters.allocatedBytes() : 0;
          samples.get(n)[r] = (double) (t1 - t0) / callsPerRound;
          allocated.get(n)[r] = allocation ? (bytes1 - bytes0) / callsPerRound : -1;
        }
        done++;
      }
      BLACKHOLE = sink;
      return summarize(names, samples, allocated, done);
    }

    private Comparison summarize(List<String> names, Map<String, double[]> samples,
        Map<String, long[]> allocated, int done) {
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
          significant = p < alpha && (low > 1 || high < 1);
        }
        results.add(new Comparison.Result(n, n.equals(baseline), done, sorted[0],
            sorted[sorted.length - 1], mean, median, Stats.quantile(sorted, 0.95),
            Stats.quantile(sorted, 0.99), bytes[bytes.length / 2], speedup, low, high, p,
            significant, Arrays.stream(s).boxed().toList()));
      }
      return new Comparison(name, baseline, callsPerRound, alpha, results);
    }
  }

  /** Keeps results reachable so the JIT cannot treat the work as dead. */
  static volatile long BLACKHOLE;

  private static long consume(Object result) {
    return result == null ? 1 : result.hashCode();
  }
}
