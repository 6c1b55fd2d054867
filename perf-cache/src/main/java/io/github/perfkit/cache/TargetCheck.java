package io.github.perfkit.cache;

/**
 * Whether a cache pays for itself: its hit ratio over the last five minutes against a target, once it
 * has served enough requests to judge, with the figures that explain the verdict. Immutable.
 *
 * @param cache the cache's name
 * @param verdict the outcome
 * @param ratio the hit ratio judged (last five minutes)
 * @param target the target hit ratio
 * @param requests requests in the judged window
 * @param minimumRequests requests needed before judging
 * @param explanation a sentence or two with the figures that explain the verdict
 */
public record TargetCheck(String cache, Verdict verdict, double ratio, double target, long requests,
    long minimumRequests, String explanation) {

  /** The outcome of a check. */
  public enum Verdict {
    /** The hit ratio is at or above the target. */
    MEETS_TARGET,
    /** The hit ratio is below the target: see the explanation. */
    BELOW_TARGET,
    /** Too few requests in the window to judge. */
    NOT_ENOUGH_REQUESTS
  }

  /** @return true only for {@link Verdict#MEETS_TARGET} */
  public boolean meetsTarget() {
    return verdict == Verdict.MEETS_TARGET;
  }
}
