package io.github.perfkit.cache.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Collects refreshes that fall due within a short window and reloads them through one batch-loader
 * call (Caffeine refreshes key by key). The first refresh of a window schedules the flush; every
 * refresh in the window gets its own future, completed from the batch result. Thread-safe.
 */
final class BulkRefresher<K> {

  private final Function<Set<K>, Map<? extends K, ?>> batchLoader;
  private final long windowNanos;
  private final Executor executor;
  private final UnaryOperator<Object> encodeNull;
  private Map<K, CompletableFuture<Object>> pending; // guarded by this

  BulkRefresher(Function<Set<K>, Map<? extends K, ?>> batchLoader, long windowNanos, Executor executor,
      UnaryOperator<Object> encodeNull) {
    this.batchLoader = batchLoader;
    this.windowNanos = windowNanos;
    this.executor = executor;
    this.encodeNull = encodeNull;
  }

  synchronized CompletableFuture<Object> enqueue(K key) {
    if (pending == null) {
      pending = new LinkedHashMap<>();
      CompletableFuture.delayedExecutor(windowNanos, TimeUnit.NANOSECONDS, executor)
          .execute(this::flush);
    }
    return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private void flush() {
    Map<K, CompletableFuture<Object>> batch;
    synchronized (this) {
      batch = pending;
      pending = null;
    }
    if (batch == null || batch.isEmpty()) {
      return;
    }
    try {
      Map<? extends K, ?> loaded = batchLoader.apply(Collections.unmodifiableSet(batch.keySet()));
      batch.forEach((k, f) -> f.complete(encodeNull.apply(loaded == null ? null : loaded.get(k))));
    } catch (Throwable t) {
      batch.values().forEach(f -> f.completeExceptionally(t));
    }
  }
}
