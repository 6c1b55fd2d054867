package io.github.perfkit.parallel;

import java.util.concurrent.RejectedExecutionException;

/**
 * A task was not accepted: the executor was saturated (its concurrency limit and queue were full) or
 * shut down. Says which executor, which limit and its value. Rejections happen on hot paths, so the
 * exception carries no stack trace.
 */
public final class RejectedTaskException extends RejectedExecutionException {

  private static final long serialVersionUID = 1L;

  private final String executor;
  private final String limit;
  private final long value;

  /**
   * Creates the exception.
   *
   * @param executor the executor's name
   * @param limit the limit that was hit, e.g. {@code "maxConcurrency + queueCapacity"}
   * @param value the limit's value
   */
  public RejectedTaskException(String executor, String limit, long value) {
    super("executor '" + executor + "' rejected a task: " + limit + " (" + value + ") reached");
    this.executor = executor;
    this.limit = limit;
    this.value = value;
  }

  /** @return the executor's name */
  public String executor() {
    return executor;
  }

  /** @return the limit that was hit */
  public String limit() {
    return limit;
  }

  /** @return the limit's value */
  public long value() {
    return value;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
