package io.github.perfkit.cache;

import java.util.function.Supplier;

/**
 * A memoized {@link Supplier}: one value, computed once, optionally expiring (expire after write) or
 * refreshed in the background (refresh after write): a lazily refreshed value. Thread-safe: concurrent
 * first callers compute it once.
 *
 * @param <V> value type
 */
public interface MemoizedSupplier<V> extends Supplier<V>, MemoizedCache {

  /** Forgets the value: the next {@link #get()} computes it again. */
  void invalidate();
}
