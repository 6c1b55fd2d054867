package io.github.perfkit.core;

/**
 * A {@link java.util.function.Supplier} that may throw a checked exception.
 *
 * @param <T> the result type
 * @param <E> the exception type it may throw
 */
@FunctionalInterface
public interface CheckedSupplier<T, E extends Exception> {
  /**
   * Computes the result.
   *
   * @return the result
   * @throws E whatever the code throws
   */
  T get() throws E;
}
