package io.github.perfkit.parallel;

import java.util.Map;
import java.util.Set;

/**
 * Loads many keys in one call, e.g. one {@code SELECT ... WHERE id IN (...)} or one bulk HTTP request.
 * A key left out of the returned map fails only that key's caller (with
 * {@link MissingResultException}); an exception thrown fails every caller of the batch with that same
 * exception.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface BatchLoader<K, V> {
  /**
   * Loads the values of {@code keys}.
   *
   * @param keys distinct keys, at most the batcher's {@code maxBatchSize}
   * @return the value of each key that has one
   * @throws Exception if the whole call failed
   */
  Map<K, V> loadAll(Set<K> keys) throws Exception;
}
