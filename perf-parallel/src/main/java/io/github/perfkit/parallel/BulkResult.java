package io.github.perfkit.parallel;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a collect-all bulk operation: every input's result in input order, and the failures
 * by input index. Immutable.
 *
 * @param <R> the result type
 */
public final class BulkResult<R> {

  private final List<R> results;
  private final Map<Integer, Throwable> failures;

  BulkResult(List<R> results, Map<Integer, Throwable> failures) {
    this.results = Collections.unmodifiableList(results);
    this.failures = Collections.unmodifiableMap(new TreeMap<>(failures));
  }

  /** @return one entry per input, in input order; {@code null} where the input failed */
  public List<R> results() {
    return results;
  }

  /** @return the exception of each failed input, by input index, unchanged */
  public Map<Integer, Throwable> failures() {
    return failures;
  }

  /** @return whether every input succeeded */
  public boolean allSucceeded() {
    return failures.isEmpty();
  }
}
