package io.github.perfkit.parallel;

import java.time.Duration;

/** A bulk operation's overall deadline passed; the unfinished calls were cancelled. */
public final class BulkTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int finished;
  private final int total;

  BulkTimeoutException(String executor, Duration timeout, int finished, int total) {
    super("executor '" + executor + "': bulk operation exceeded its timeout of " + timeout + " with "
        + finished + " of " + total + " results in; the rest were cancelled");
    this.finished = finished;
    this.total = total;
  }

  /** @return results collected before the deadline */
  public int finished() {
    return finished;
  }

  /** @return inputs in the operation */
  public int total() {
    return total;
  }
}
