package io.github.perfkit.core;

/**
 * A {@link Runnable} that may throw a checked exception, for timing code such as JDBC or I/O calls
 * without wrapping their exceptions.
 *
 * @param <E> the exception type it may throw
 */
@FunctionalInterface
public interface CheckedRunnable<E extends Exception> {
  /**
   * Runs.
   *
   * @throws E whatever the code throws
   */
  void run() throws E;
}
