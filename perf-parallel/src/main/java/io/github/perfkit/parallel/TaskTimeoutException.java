package io.github.perfkit.parallel;

import java.time.Duration;

/**
 * A call wrapped by {@link Parallel#withTimeout} ran past its timeout: it was interrupted and its
 * result, if it produced one anyway, was discarded. Whatever the call threw after the interrupt is
 * kept as the cause.
 */
public final class TaskTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  /**
   * @param timeout the timeout that was exceeded
   * @param cause what the interrupted call threw, or null
   */
  public TaskTimeoutException(Duration timeout, Throwable cause) {
    super("task ran past its timeout of " + timeout + " and was interrupted", cause);
    this.timeout = timeout;
  }

  /** @return the timeout that was exceeded */
  public Duration timeout() {
    return timeout;
  }
}
