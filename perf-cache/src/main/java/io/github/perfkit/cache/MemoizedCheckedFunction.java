package io.github.perfkit.cache;

/**
 * A memoized loader that throws a checked exception: {@link #get} throws the loader's exception
 * unchanged (every waiting caller gets the same one). Otherwise as {@link MemoizedFunction}.
 * Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <E> the loader's checked exception
 */
public interface MemoizedCheckedFunction<K, V, E extends Exception> extends MemoizedCache {

  /**
   * The value for {@code key}, from the cache or loaded.
   *
   * @param key the key
   * @return the value
   * @throws E the loader's exception, unchanged
   */
  V get(K key) throws E;

  /**
   * Removes one key.
   *
   * @param key the key
   */
  void invalidate(K key);

  /** @return the same cache as a plain {@link MemoizedFunction} whose checked failures are thrown
   *     undeclared (sneaky), for code that takes a {@code Function} */
  MemoizedFunction<K, V> asFunction();
}
