package io.github.perfkit.cache;

import java.util.function.BiFunction;

/**
 * A memoized two-argument function: the pair of arguments is the key. Behaves as
 * {@link MemoizedFunction} in every other way. Thread-safe.
 *
 * @param <A> first argument type
 * @param <B> second argument type
 * @param <V> value type
 */
public interface MemoizedBiFunction<A, B, V> extends BiFunction<A, B, V>, MemoizedCache {

  /**
   * Removes the value for one pair of arguments.
   *
   * @param a first argument
   * @param b second argument
   */
  void invalidate(A a, B b);
}
