package io.github.perfkit.cache;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A memoized asynchronous function: concurrent callers missing the same key share the one in-flight
 * future; a failed future is not cached. Each call returns a fresh dependent future, so a caller
 * cancelling or completing its own future never affects the cached one. Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface AsyncMemoizedFunction<K, V> extends Function<K, CompletableFuture<V>>, MemoizedCache {

  /**
   * Removes one key.
   *
   * @param key the key
   */
  void invalidate(K key);
}
