package io.github.perfkit.parallel.internal;

/**
 * Decides a concurrency limit from completed calls. Called under the owning gate's lock, so
 * implementations need no synchronisation of their own.
 */
public interface LimitAlgorithm {

  /** @return the limit to start with */
  double initial();

  /**
   * One completed call.
   *
   * @param rttNanos how long it took
   * @param inFlight calls in flight when it started (itself included)
   * @param dropped whether it failed in a way that signals overload (timeout, rejection)
   * @param limit the current limit
   * @return the new limit (the caller clamps nothing: the algorithm keeps its own floor and ceiling)
   */
  double onSample(long rttNanos, int inFlight, boolean dropped, double limit);

  /** @return a short description for errors and {@code toString} */
  String describe();

  /** A limit that never changes. */
  static LimitAlgorithm fixed(int limit) {
    return new LimitAlgorithm() {
      @Override
      public double initial() {
        return limit;
      }

      @Override
      public double onSample(long rttNanos, int inFlight, boolean dropped, double current) {
        return current;
      }

      @Override
      public String describe() {
        return "fixed " + limit;
      }
    };
  }
}
