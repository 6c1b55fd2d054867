package io.github.perfkit.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A memoized {@link Function}: an ordinary {@code Function} (hand it to any code), whose results are
 * kept in a Caffeine cache. Made by {@link Memoizer.Builder#build(Function)}.
 *
 * <p><b>Loading:</b> a miss runs the loader on the calling thread; concurrent callers missing the same
 * key wait for that one load (stampede protection) and then see its result or its exception, unchanged.
 * A loader exception is never cached. A {@code null} result is returned but not cached (each call loads
 * again), unless negative caching is on ({@link Memoizer.Builder#cacheAbsent}), in which case "absent"
 * is cached for its own duration.
 *
 * <p><b>Cost:</b> a hit costs about one Caffeine read; it allocates nothing.
 *
 * <p>Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface MemoizedFunction<K, V> extends Function<K, V>, MemoizedCache {

  /**
   * The value for {@code key}, from the cache or loaded.
   *
   * @param key the key
   * @return the value, possibly null if the loader returned null
   * @throws NullPointerException if {@code key} is null
   * @throws RuntimeException whatever the loader threw, unchanged
   */
  @Override
  V apply(K key);

  /**
   * The values of several keys: present ones from the cache, the missing ones loaded with <b>one</b>
   * call of the batch loader when one was given (otherwise one loader call per missing key). Keys whose
   * value is absent (null) are left out of the map.
   *
   * @param keys the keys
   * @return key to value, in the iteration order of {@code keys}
   * @throws NullPointerException if {@code keys} or a key is null
   */
  Map<K, V> getAll(Iterable<? extends K> keys);

  /**
   * The cached value, without loading.
   *
   * @param key the key
   * @return the value, or null if absent or still loading
   */
  V getIfPresent(K key);

  /**
   * Removes one key.
   *
   * @param key the key
   */
  void invalidate(K key);

  /**
   * Removes several keys.
   *
   * @param keys the keys
   */
  void invalidateAll(Iterable<? extends K> keys);

  /**
   * Removes every key that matches.
   *
   * @param predicate which keys to remove
   */
  void invalidateIf(Predicate<? super K> predicate);

  /**
   * Reloads one key in the background; the old value (if any) keeps being served until the new one
   * arrives. A failed reload keeps the old value.
   *
   * @param key the key
   * @return the reload's result
   */
  CompletableFuture<V> refresh(K key);
}
