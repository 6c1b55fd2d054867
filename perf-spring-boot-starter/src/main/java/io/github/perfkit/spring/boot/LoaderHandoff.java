package io.github.perfkit.spring.boot;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cache.Cache.ValueRetrievalException;

/**
 * Hands Spring's value loaders and put values to a perfkit cache's own loader, for the Spring
 * adapters {@link PerfkitCache} and {@link PerfkitRedisCache}: {@code get(key, valueLoader)} runs
 * the loader inside the cache's single-flight load, {@code put} refreshes the key from the value
 * being put, and any other miss stores nothing. Thread-safe.
 */
final class LoaderHandoff {

  /** The value loader of a {@code get(key, valueLoader)} on this thread, while it runs. */
  private final ThreadLocal<Callable<?>> loading = new ThreadLocal<>();
  /** Values handed to {@code put} while they are being stored. */
  private final ConcurrentHashMap<Object, Object> putting = new ConcurrentHashMap<>();

  /**
   * The cache's loader: the pending value loader's value, a put in progress, or null (a miss
   * that is not cached).
   */
  Object load(Object key, Function<Object, Object> toStoreValue) {
    Callable<?> loader = loading.get();
    if (loader != null) {
      loading.remove(); // a nested cache call inside the method must not see it
      try {
        return toStoreValue.apply(loader.call());
      } catch (Exception e) {
        throw new ValueRetrievalException(key, loader, e);
      }
    }
    return putting.get(key);
  }

  /** Looks up with {@code valueLoader} as the loader of a miss on this thread. */
  Object withLoader(Callable<?> valueLoader, Supplier<Object> lookup) {
    Callable<?> outer = loading.get();
    loading.set(valueLoader);
    try {
      return lookup.get();
    } finally {
      if (outer != null) {
        loading.set(outer);
      } else {
        loading.remove();
      }
    }
  }

  /** Stores {@code stored} under {@code key} by running {@code refresh}, which loads it from here. */
  void put(Object key, Object stored, Runnable refresh) {
    putting.put(key, stored);
    try {
      refresh.run();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      putting.remove(key, stored);
    }
  }
}
