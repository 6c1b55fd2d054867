package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.parallel.internal.TaskTimer;
import java.time.Duration;
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
 * <p>Builders are not thread-safe. Each setting may be set once (a second call throws
 * {@link IllegalStateException} naming it); a bad argument fails in its setter, naming the parameter
 * and the value. {@link Builder#build()} checks the rules across settings and creates a new executor
 * each time, from a copy of the settings: changing the builder afterwards never changes an executor
 * built before. Executors are thread-safe.
 */
public final class Parallel {

  private Parallel() {}

  /**
   * An executor for work that mostly waits (virtual threads on Java 21+). Defaults: maxConcurrency 64,
   * queueCapacity 100,000, {@link Backpressure#BLOCK}.
   *
   * @param name for thread names, metrics and errors
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder io(String name) {
    return new Builder(Require.notBlank(name, "name"), Workload.IO_BOUND, 64);
  }

  /**
   * An executor for work that mostly computes: a dedicated work-stealing pool with parallelism equal
   * to the available processors (never the common pool), at most
   * {@value Builder#MAX_CPU_PARALLELISM}. Defaults: queueCapacity 100,000, {@link Backpressure#BLOCK}.
   *
   * @param name for thread names, metrics and errors
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder cpu(String name) {
    return new Builder(Require.notBlank(name, "name"), Workload.CPU_BOUND,
        Math.min(Builder.MAX_CPU_PARALLELISM, Runtime.getRuntime().availableProcessors()));
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
    Require.notNull(fn, "fn");
    Require.positive(timeout, "timeout");
    return input -> TaskTimer.call(fn, input, timeout);
  }

  /**
   * Settings of a {@link BoundedExecutor}. Each setting may be set once; each setter checks its
   * argument at once and names it in the error. Not thread-safe.
   */
  public static final class Builder {
    /** The largest parallelism of a CPU executor: {@link java.util.concurrent.ForkJoinPool}'s. */
    public static final int MAX_CPU_PARALLELISM = 0x7fff;

    private final String name;
    private final Workload workload;
    private int maxConcurrency;
    private int queueCapacity = 100_000;
    private Backpressure backpressure = Backpressure.BLOCK;
    private boolean allowVirtual = true;
    private ConcurrencyLimit limit;
    private final SetOnce set = new SetOnce();

    private Builder(String name, Workload workload, int maxConcurrency) {
      this.name = name;
      this.workload = workload;
      this.maxConcurrency = maxConcurrency;
    }

    /**
     * How many tasks may run at once (for CPU-bound work: the parallelism, at most
     * {@value #MAX_CPU_PARALLELISM}, {@link java.util.concurrent.ForkJoinPool}'s limit).
     *
     * @param maxConcurrency {@code >= 1}; for {@link Parallel#cpu(String)} also
     *     {@code <= }{@value #MAX_CPU_PARALLELISM}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxConcurrency} is out of range
     * @throws IllegalStateException if it was set before
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (workload == Workload.CPU_BOUND) {
        Require.inRange(maxConcurrency, 1, MAX_CPU_PARALLELISM, "maxConcurrency");
      } else {
        Require.positive(maxConcurrency, "maxConcurrency");
      }
      set.mark("maxConcurrency");
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * How many accepted tasks may wait beyond those running.
     *
     * @param queueCapacity {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code queueCapacity} is out of range
     * @throws IllegalStateException if it was set before
     */
    public Builder queueCapacity(int queueCapacity) {
      Require.nonNegative(queueCapacity, "queueCapacity");
      set.mark("queueCapacity");
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
      Require.notNull(backpressure, "backpressure");
      set.mark("backpressure");
      this.backpressure = backpressure;
      return this;
    }

    /**
     * Use platform threads even where virtual threads exist (I/O executors only; for comparisons).
     * On a {@link Parallel#cpu(String)} builder, {@link #build()} refuses it: a CPU executor always
     * runs on platform threads, so the setting would be ignored.
     *
     * @return this builder
     */
    public Builder platformThreads() {
      set.mark("platformThreads");
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
      Require.notNull(limit, "limit");
      set.mark("limit");
      this.limit = limit;
      return this;
    }

    /**
     * Creates the executor.
     *
     * @return a new, running executor; close it when done
     * @throws IllegalStateException if {@link #platformThreads()} was set on a CPU executor
     */
    public BoundedExecutor build() {
      Require.state(workload == Workload.IO_BOUND || allowVirtual, "platformThreads applies to "
          + "I/O executors only (Parallel.io): a CPU executor always runs on platform threads, "
          + "executor '" + name + "'");
      return new BoundedExecutor(name, workload, maxConcurrency, queueCapacity, backpressure,
          allowVirtual, limit);
    }
  }
}
