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
 * refresh in the window gets its own future (one per key: a key due twice in a window shares it),
 * completed from the batch result; a key the batch left out completes with the encoded null, and a
 * failing batch call fails every future of its window. Thread-safe.
 */
final class BulkRefresher<K> {

  /** Runs a window's flush after the window: a delayed executor, or a manual one in tests. */
  interface FlushTimer {
    void schedule(Runnable flush, long delayNanos);
  }

  private final Function<Set<K>, Map<? extends K, ?>> batchLoader;
  private final long windowNanos;
  private final FlushTimer timer;
  private final UnaryOperator<Object> encodeNull;
  private Map<K, CompletableFuture<Object>> pending; // guarded by this

  BulkRefresher(Function<Set<K>, Map<? extends K, ?>> batchLoader, long windowNanos, Executor executor,
      UnaryOperator<Object> encodeNull) {
    this(batchLoader, windowNanos, (flush, delayNanos) -> CompletableFuture
        .delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, executor).execute(flush), encodeNull);
  }

  BulkRefresher(Function<Set<K>, Map<? extends K, ?>> batchLoader, long windowNanos,
      FlushTimer timer, UnaryOperator<Object> encodeNull) {
    this.batchLoader = batchLoader;
    this.windowNanos = windowNanos;
    this.timer = timer;
    this.encodeNull = encodeNull;
  }

  synchronized CompletableFuture<Object> enqueue(K key) {
    if (pending == null) {
      pending = new LinkedHashMap<>();
      timer.schedule(this::flush, windowNanos);
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
