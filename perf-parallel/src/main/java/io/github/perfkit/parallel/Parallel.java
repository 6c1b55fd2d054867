package io.github.perfkit.parallel;

import io.github.perfkit.parallel.internal.TaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The front door of perf-parallel: executors chosen by intent.
 *
 * <pre>{@code
 * try (BoundedExecutor io = Parallel.io("fetch").maxConcurrency(100).build();
 *      BoundedExecutor cpu = Parallel.cpu("parse").build()) {
 *   List<String> pages = io.map(urls, http::get);        // waits: up to 100 at once
 *   List<Doc> docs = cpu.map(pages, Parser::parse);      // computes: one per core
 * }
 * }</pre>
 *
 * <p>Builders are not thread-safe; {@link Builder#build()} validates and creates a new executor each
 * time. Executors are thread-safe.
 */
public final class Parallel {

  private Parallel() {}

  /**
   * An executor for work that mostly waits (virtual threads on Java 21+). Defaults: maxConcurrency 64,
   * queueCapacity 100,000, {@link Backpressure#BLOCK}.
   *
   * @param name for thread names, metrics and errors
   * @return a builder
   */
  public static Builder io(String name) {
    return new Builder(checkName(name), Workload.IO_BOUND, 64);
  }

  /**
   * An executor for work that mostly computes: a dedicated work-stealing pool with parallelism equal
   * to the available processors (never the common pool). Defaults: queueCapacity 100,000,
   * {@link Backpressure#BLOCK}.
   *
   * @param name for thread names, metrics and errors
   * @return a builder
   */
  public static Builder cpu(String name) {
    return new Builder(checkName(name), Workload.CPU_BOUND,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * A per-call timeout for any function handed to an executor's bulk operations: a call still
   * running after {@code timeout} is interrupted and fails with {@link TaskTimeoutException} (also
   * when it ignores the interrupt and returns later: its result is discarded). Combine with
   * {@link BoundedExecutor#mapAll} to collect the timed-out inputs, or with
   * {@link BoundedExecutor#map(java.util.Collection, Function, java.time.Duration)} for an overall
   * deadline too.
   *
   * <pre>{@code
   * BulkResult<Page> pages = io.mapAll(urls, Parallel.withTimeout(http::get, Duration.ofSeconds(2)));
   * }</pre>
   *
   * <p>One shared daemon timer thread serves every timeout; a call that finishes in time cancels its
   * timer, and a timer that fires after the call won the race leaves no interrupt behind.
   *
   * @param fn the function
   * @param timeout per call, positive
   * @param <T> input type
   * @param <R> result type
   * @return {@code fn} with the timeout
   */
  public static <T, R> Function<T, R> withTimeout(Function<? super T, ? extends R> fn,
      Duration timeout) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    return input -> TaskTimer.call(fn, input, timeout);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return name;
  }

  /** Settings of a {@link BoundedExecutor}. */
  public static final class Builder {
    private final String name;
    private final Workload workload;
    private int maxConcurrency;
    private int queueCapacity = 100_000;
    private Backpressure backpressure = Backpressure.BLOCK;
    private boolean allowVirtual = true;
    private ConcurrencyLimit limit;
    private MeterRegistry registry;

    private Builder(String name, Workload workload, int maxConcurrency) {
      this.name = name;
      this.workload = workload;
      this.maxConcurrency = maxConcurrency;
    }

    /**
     * How many tasks may run at once (for CPU-bound work: the parallelism).
     *
     * @param maxConcurrency {@code >= 1}
     * @return this builder
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1 but was " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * How many accepted tasks may wait beyond those running.
     *
     * @param queueCapacity {@code >= 0}
     * @return this builder
     */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 0) {
        throw new IllegalArgumentException("queueCapacity must be >= 0 but was " + queueCapacity);
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * What a saturated executor does with one more task.
     *
     * @param backpressure reject or block
     * @return this builder
     */
    public Builder backpressure(Backpressure backpressure) {
      this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
      return this;
    }

    /**
     * Use platform threads even where virtual threads exist (I/O executors only; for comparisons).
     *
     * @return this builder
     */
    public Builder platformThreads() {
      this.allowVirtual = false;
      return this;
    }

    /**
     * Every task also holds a permit of {@code limit} while it runs: share one limit among the
     * executors that call one downstream, or give an adaptive one
     * ({@link ConcurrencyLimit#gradient(String)}, {@link ConcurrencyLimit#aimd(String)}) that learns
     * from each task's latency. {@link #maxConcurrency(int)} stays the upper bound, so set it at
     * least as high as the limit's ceiling.
     *
     * @param limit the limit
     * @return this builder
     */
    public Builder limit(ConcurrencyLimit limit) {
      this.limit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /**
     * Registers the executor's meters ({@code executor.*}, tag {@code name}) with {@code registry}.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder metrics(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Creates the executor.
     *
     * @return a new, running executor; close it when done
     */
    public BoundedExecutor build() {
      return new BoundedExecutor(name, workload, maxConcurrency, queueCapacity, backpressure,
          allowVirtual, limit, registry);
    }
  }
}
