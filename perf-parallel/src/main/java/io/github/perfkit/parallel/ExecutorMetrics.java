package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.Require;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;

/**
 * The Micrometer binder of a {@link BoundedExecutor}, reached through
 * {@link BoundedExecutor#metrics()}; see there for the meters. Holds the executor weakly. Immutable
 * and thread-safe; {@link #tags(String...)} returns a new binder.
 */
public final class ExecutorMetrics implements MeterBinder {

  private final WeakReference<BoundedExecutor> executor;
  private final Tags tags;

  ExecutorMetrics(BoundedExecutor executor, Tags tags) {
    this.executor = new WeakReference<>(executor);
    this.tags = tags;
  }

  private ExecutorMetrics(WeakReference<BoundedExecutor> executor, Tags tags) {
    this.executor = executor;
    this.tags = tags;
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param keyValues an even number of strings
   * @return a new binder
   * @throws IllegalArgumentException if the count is odd
   */
  public ExecutorMetrics tags(String... keyValues) {
    Require.notNull(keyValues, "keyValues");
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keyValues must come in pairs but had "
          + keyValues.length + " elements");
    }
    return new ExecutorMetrics(executor, tags.and(keyValues));
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param tags the tags
   * @return a new binder
   */
  public ExecutorMetrics tags(Iterable<Tag> tags) {
    Require.notNull(tags, "tags");
    return new ExecutorMetrics(executor, this.tags.and(tags));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Require.notNull(registry, "registry");
    BoundedExecutor e = executor.get();
    if (e != null) {
      e.bind(registry, tags);
    }
  }
}
