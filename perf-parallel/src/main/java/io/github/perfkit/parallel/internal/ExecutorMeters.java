package io.github.perfkit.parallel.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An executor's meters under the names of Micrometer's {@code ExecutorServiceMetrics} and
 * {@code TimedExecutorService} (tag {@code name}), plus {@code executor.rejected} and
 * {@code executor.limit}. Thread-safe: timers are Micrometer's; gauges read the executor's atomics.
 */
public final class ExecutorMeters {

  private final Timer execution;
  private final Timer idle;

  /**
   * Registers every meter now.
   *
   * @param registry where
   * @param name the executor's name (tag {@code name})
   * @param active tasks running
   * @param queued tasks accepted, not started
   * @param completed tasks finished
   * @param rejected tasks refused
   * @param queueRemaining room left in the queue
   * @param poolMax the concurrency bound
   * @param limit the current limit
   */
  public ExecutorMeters(MeterRegistry registry, String name, IntSupplier active, IntSupplier queued,
      LongSupplier completed, LongSupplier rejected, IntSupplier queueRemaining, int poolMax,
      IntSupplier limit) {
    Tags tags = Tags.of("name", name);
    Gauge.builder("executor.active", active, IntSupplier::getAsInt).tags(tags)
        .description("The approximate number of tasks that are actively executing")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.queued", queued, IntSupplier::getAsInt).tags(tags)
        .description("The approximate number of tasks that are queued for execution")
        .baseUnit("tasks").register(registry);
    Gauge.builder("executor.queue.remaining", queueRemaining, IntSupplier::getAsInt).tags(tags)
        .description("The number of additional elements that this queue can ideally accept")
        .baseUnit("tasks").register(registry);
    Gauge.builder("executor.pool.max", () -> poolMax).tags(tags)
        .description("The maximum allowed number of tasks running at once")
        .baseUnit("threads").register(registry);
    Gauge.builder("executor.limit", limit, IntSupplier::getAsInt).tags(tags)
        .description("The current concurrency limit (adaptive limits move it)")
        .baseUnit("tasks").register(registry);
    FunctionCounter.builder("executor.completed", completed, LongSupplier::getAsLong).tags(tags)
        .description("The approximate total number of tasks that have completed execution")
        .baseUnit("tasks").register(registry);
    FunctionCounter.builder("executor.rejected", rejected, LongSupplier::getAsLong).tags(tags)
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
