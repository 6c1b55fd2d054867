package io.github.perfkit.cache;

/**
 * A function that may throw a checked exception, for loaders such as JDBC or HTTP calls.
 *
 * @param <K> argument type
 * @param <V> result type
 * @param <E> the checked exception it may throw
 */
@FunctionalInterface
public interface CheckedFunction<K, V, E extends Exception> {
  /**
   * Applies the function.
   *
   * @param key the argument
   * @return the result
   * @throws E whatever the loader throws
   */
  V apply(K key) throws E;
}
