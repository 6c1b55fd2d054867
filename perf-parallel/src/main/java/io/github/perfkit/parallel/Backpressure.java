package io.github.perfkit.parallel;

/** What a saturated executor does with one more task. */
public enum Backpressure {
  /** Throw {@link RejectedTaskException} at once. */
  REJECT,
  /** Block the submitting thread until there is room (or it is interrupted). */
  BLOCK
}
