package io.github.perfkit.core;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.core.internal.StripedHistogram;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A named, thread-safe recorder of durations with HdrHistogram precision: the one place every perfkit
 * primitive records into, and the one place reports and Micrometer read from.
 *
 * <pre>{@code
 * LatencyRecorder fetch = LatencyRecorder.create("fetch");
 * Page page = fetch.time(() -> client.download(url));   // timed; an exception is counted as a failure
 * System.out.println(fetch.snapshot().p99());
 * }</pre>
 *
 * <p><b>Timing helpers:</b> {@link #time(Supplier)}, {@link #run(Runnable)}, {@link #call(Callable)},
 * {@link #timeChecked(CheckedSupplier)} and {@link #runChecked(CheckedRunnable)} time a lambda; a
 * {@link #start() Sample} times a try-with-resources block. An exception from the timed code passes
 * through unchanged (checked exceptions too, never wrapped) and the duration is recorded as a failure.
 * Each helper adds two readings of the recorder's {@link Ticker} ({@code System.nanoTime()} unless
 * {@link Builder#ticker(Ticker)} set another) to the cost of a record.
 *
 * <p><b>Precision:</b> two significant decimal digits by default (a reported percentile is within
 * 1% of the exact one), for any duration from one nanosecond to about 9.8 hours (2<sup>45</sup> - 1
 * ns). A longer duration is recorded as that maximum, in the histogram and in the total alike, so
 * the mean never exceeds the maximum.
 *
 * <p><b>Threads and cost:</b> every method is thread-safe. Recording goes to a stripe chosen by the
 * calling thread, so threads recording at once do not contend on one counter; a record allocates
 * nothing. {@link #snapshot()} and {@link #intervalSnapshot()} copy the histogram and are meant for
 * reporting, not for hot paths.
 *
 * <p><b>Lifetime and intervals:</b> {@link #snapshot()} covers everything recorded since creation;
 * {@link #intervalSnapshot()} covers what was recorded since the previous call to it (or since
 * creation), so that a reporter can show "the last minute". The two never disturb each other.
 */
public final class LatencyRecorder {

  private final String name;
  private final StripedHistogram histogram;
  private final Ticker ticker;

  private LatencyRecorder(String name, int significantDigits, Ticker ticker) {
    this.name = name;
    this.histogram = new StripedHistogram(significantDigits);
    this.ticker = ticker;
  }

  /**
   * Creates a recorder with the default precision (two significant digits).
   *
   * @param name what is measured, for reports and metric tags; never a key, id or URL
   * @return a new, empty recorder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static LatencyRecorder create(String name) {
    return builder(name).build();
  }

  /**
   * Starts a builder for a recorder with non-default settings.
   *
   * @param name what is measured; see {@link #create(String)}
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(checkName(name));
  }

  static String checkName(String name) {
    return Require.notBlank(name, "name");
  }

  /**
   * The name given at creation.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Records one successful operation that took {@code durationNanos}.
   *
   * @param durationNanos the duration in nanoseconds
   * @throws IllegalArgumentException if {@code durationNanos} is negative
   */
  public void record(long durationNanos) {
    if (durationNanos < 0) {
      throw negative(durationNanos);
    }
    histogram.record(durationNanos, false);
  }

  /**
   * Records one operation that took {@code durationNanos} and failed (threw). Its duration enters the
   * same histogram; it is also counted in {@link LatencySnapshot#failureCount()}.
   *
   * @param durationNanos the duration in nanoseconds
   * @throws IllegalArgumentException if {@code durationNanos} is negative
   */
  public void recordFailure(long durationNanos) {
    if (durationNanos < 0) {
      throw negative(durationNanos);
    }
    histogram.record(durationNanos, true);
  }

  /**
   * Records one successful operation.
   *
   * @param duration how long it took
   * @throws NullPointerException if {@code duration} is null
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void record(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0 but was " + duration);
    }
    record(saturatedNanos(duration));
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  private static IllegalArgumentException negative(long durationNanos) {
    return new IllegalArgumentException("durationNanos must be >= 0 but was " + durationNanos);
  }

  /**
   * Runs {@code code} and records how long it took.
   *
   * @param code the code to time
   * @throws NullPointerException if {@code code} is null
   * @throws RuntimeException whatever {@code code} throws, unchanged (recorded as a failure)
   */
  public void run(Runnable code) {
    Objects.requireNonNull(code, "code");
    runChecked(code::run);
  }

  /**
   * Computes {@code code}'s result and records how long it took.
   *
   * @param code the code to time
   * @param <T> the result type
   * @return what {@code code} returned
   * @throws NullPointerException if {@code code} is null
   * @throws RuntimeException whatever {@code code} throws, unchanged (recorded as a failure)
   */
  public <T> T time(Supplier<T> code) {
    Objects.requireNonNull(code, "code");
    return timeChecked(code::get);
  }

  /**
   * Calls {@code code} and records how long it took.
   *
   * @param code the code to time
   * @param <T> the result type
   * @return what {@code code} returned
   * @throws NullPointerException if {@code code} is null
   * @throws Exception whatever {@code code} throws, unchanged (recorded as a failure)
   */
  public <T> T call(Callable<T> code) throws Exception {
    Objects.requireNonNull(code, "code");
    return timeChecked(code::call);
  }

  /**
   * Computes {@code code}'s result, which may throw the checked exception {@code E}, and records how
   * long it took.
   *
   * @param code the code to time
   * @param <T> the result type
   * @param <E> the checked exception {@code code} may throw
   * @return what {@code code} returned
   * @throws NullPointerException if {@code code} is null
   * @throws E whatever {@code code} throws, unchanged (recorded as a failure)
   */
  public <T, E extends Exception> T timeChecked(CheckedSupplier<T, E> code) throws E {
    Objects.requireNonNull(code, "code");
    long start = ticker.read();
    T result;
    try {
      result = code.get();
    } catch (Throwable t) {
      recordFailure(Math.max(0, ticker.read() - start));
      throw t;
    }
    record(Math.max(0, ticker.read() - start));
    return result;
  }

  /**
   * Runs {@code code}, which may throw the checked exception {@code E}, and records how long it took.
   *
   * @param code the code to time
   * @param <E> the checked exception {@code code} may throw
   * @throws NullPointerException if {@code code} is null
   * @throws E whatever {@code code} throws, unchanged (recorded as a failure)
   */
  public <E extends Exception> void runChecked(CheckedRunnable<E> code) throws E {
    Objects.requireNonNull(code, "code");
    long start = ticker.read();
    try {
      code.run();
    } catch (Throwable t) {
      recordFailure(Math.max(0, ticker.read() - start));
      throw t;
    }
    record(Math.max(0, ticker.read() - start));
  }

  /**
   * Starts timing a block; closing the sample records the duration.
   *
   * <pre>{@code
   * try (LatencyRecorder.Sample sample = recorder.start()) {
   *   work();
   * } // recorded as a success, unless sample.failed() was called
   * }</pre>
   *
   * @return a running sample, to close on the thread of your choice exactly once
   */
  public Sample start() {
    return new Sample(this, ticker.read());
  }

  /**
   * A running measurement of one block, from {@link #start()}. Close it exactly once; call
   * {@link #failed()} before closing (typically in a catch block) to record the block as a failure.
   * Not thread-safe: one sample belongs to one block.
   */
  public static final class Sample implements AutoCloseable {
    private final LatencyRecorder recorder;
    private final long startNanos;
    private boolean failed;
    private boolean closed;

    private Sample(LatencyRecorder recorder, long startNanos) {
      this.recorder = recorder;
      this.startNanos = startNanos;
    }

    /** Marks the block as failed: closing records the duration as a failure. */
    public void failed() {
      this.failed = true;
    }

    /**
     * Records the elapsed time.
     *
     * @throws IllegalStateException if this sample was already closed
     */
    @Override
    public void close() {
      if (closed) {
        throw new IllegalStateException("sample of '" + recorder.name + "' closed twice");
      }
      closed = true;
      long elapsed = Math.max(0, recorder.ticker.read() - startNanos);
      if (failed) {
        recorder.recordFailure(elapsed);
      } else {
        recorder.record(elapsed);
      }
    }
  }

  /**
   * This recorder's Micrometer binder: {@code perfkit.latency{name=...}} and its companions (see
   * {@link PerfMetrics}). The same as {@code PerfMetrics.forRecorder(this)}.
   *
   * <pre>{@code
   * fetch.metrics().tags("service", "search").bindTo(meterRegistry);
   * }</pre>
   *
   * @return a binder to configure further or bind
   */
  public PerfMetrics.Builder metrics() {
    return PerfMetrics.forRecorder(this);
  }

  /**
   * Everything recorded since this recorder was created.
   *
   * @return an immutable snapshot
   */
  public LatencySnapshot snapshot() {
    return toSnapshot(histogram.lifetime());
  }

  /**
   * What was recorded since the previous call to this method (or since creation). Calling
   * {@link #snapshot()} does not reset the interval.
   *
   * @return an immutable snapshot of the interval
   */
  public LatencySnapshot intervalSnapshot() {
    return toSnapshot(histogram.interval());
  }

  /** A rolling window over this recorder (for {@link PerfMetrics}); shared per clock and settings. */
  StripedHistogram.Window window(Object clockKey, java.util.function.LongSupplier monotonicNanos,
      Duration expiry, int buffers) {
    return histogram.window(clockKey, monotonicNanos, expiry.toNanos(), buffers);
  }

  /** What {@code window} holds now. */
  LatencySnapshot windowSnapshot(StripedHistogram.Window window) {
    return toSnapshot(histogram.read(window));
  }

  private LatencySnapshot toSnapshot(StripedHistogram.Drained drained) {
    return LatencySnapshot.of(name, drained.histogram, drained.failures, drained.totalNanos);
  }

  @Override
  public String toString() {
    return "LatencyRecorder[" + name + "]";
  }

  /**
   * Settings for a {@link LatencyRecorder}. Each setting may be made once. Not thread-safe;
   * {@link #build()} copies, so a builder can be reused.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final String name;
    private int significantDigits = 2;
    private Ticker ticker = Ticker.system();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Decimal digits of precision kept for every value (default 2: within 1%). Each extra digit costs
     * about ten times the memory per recorder.
     *
     * @param digits from 1 to 3
     * @return this builder
     * @throws IllegalArgumentException if {@code digits} is outside 1..3
     * @throws IllegalStateException if it was set before
     */
    public Builder significantDigits(int digits) {
      set.mark("significantDigits");
      this.significantDigits = Require.inRange(digits, 1, 3, "digits");
      return this;
    }

    /**
     * The time source of the timing helpers and {@link LatencyRecorder#start() samples} (default
     * {@link Ticker#system()}); durations given to {@code record} are taken as they are.
     *
     * @param ticker reads nanoseconds; thread-safe if the recorder is used from several threads
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     * @throws IllegalStateException if it was set before
     */
    public Builder ticker(Ticker ticker) {
      set.mark("ticker");
      this.ticker = Require.notNull(ticker, "ticker");
      return this;
    }

    /**
     * Creates the recorder.
     *
     * @return a new, empty recorder
     */
    public LatencyRecorder build() {
      return new LatencyRecorder(name, significantDigits, ticker);
    }
  }
}
