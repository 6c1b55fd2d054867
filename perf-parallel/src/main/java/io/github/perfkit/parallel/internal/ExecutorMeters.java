package io.github.perfkit.parallel.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.github.perfkit.parallel.BoundedExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An executor's meters under the names of Micrometer's {@code ExecutorServiceMetrics} and
 * {@code TimedExecutorService} (tag {@code name}), plus {@code executor.rejected} and
 * {@code executor.limit}. Thread-safe: timers are Micrometer's; gauges read the executor's atomics.
 */
public final class ExecutorMeters {

  private final Timer execution;
  private final Timer idle;

  /**
   * Registers every meter now. Micrometer holds the executor weakly, as its own binders do.
   *
   * @param registry where
   * @param executor the executor (tag {@code name} = its name)
   * @param queueCapacity its queue capacity
   */
  public ExecutorMeters(MeterRegistry registry, BoundedExecutor executor, int queueCapacity,
      Tags extraTags) {
    Tags tags = extraTags.and("name", executor.name());
    Gauge.builder("executor.active", executor, BoundedExecutor::activeCount).tags(tags)
        .description("The approximate number of tasks that are actively executing")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.queued", executor, BoundedExecutor::queuedCount).tags(tags)
        .description("The approximate number of tasks that are queued for execution")
        .baseUnit("tasks").register(registry);
    Gauge.builder("executor.queue.remaining", executor,
            e -> Math.max(0, queueCapacity - e.queuedCount())).tags(tags)
        .description("The number of additional elements that this queue can ideally accept")
        .baseUnit("tasks").register(registry);
    Gauge.builder("executor.pool.size", executor, BoundedExecutor::poolSize).tags(tags)
        .description("The current number of threads in the pool (virtual threads: running tasks)")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.pool.core", executor, BoundedExecutor::maxConcurrency).tags(tags)
        .description("The core number of threads for the pool")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.pool.max", executor, BoundedExecutor::maxConcurrency).tags(tags)
        .description("The maximum allowed number of tasks running at once")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.limit", executor, e -> e.limit()
            .map(l -> Math.min(e.maxConcurrency(), l.limit())).orElse(e.maxConcurrency()))
        .tags(tags)
        .description("The current concurrency limit (adaptive limits move it)")
        .baseUnit("tasks").register(registry);
    FunctionCounter.builder("executor.completed", executor, BoundedExecutor::completedCount)
        .tags(tags)
        .description("The approximate total number of tasks that have completed execution")
        .baseUnit("tasks").register(registry);
    FunctionCounter.builder("executor.rejected", executor, BoundedExecutor::rejectedCount)
        .tags(tags)
        .description("Tasks refused because the executor was saturated or shut down")
        .baseUnit("tasks").register(registry);
    this.execution = Timer.builder("executor").tags(tags)
        .description("Time tasks spend running").register(registry);
    this.idle = Timer.builder("executor.idle").tags(tags)
        .description("Time tasks spend queued before they run").register(registry);
  }

  /** @param nanos how long a task waited before it ran */
  public void idle(long nanos) {
    idle.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param nanos how long a task ran */
  public void executed(long nanos) {
    execution.record(nanos, TimeUnit.NANOSECONDS);
  }
}
