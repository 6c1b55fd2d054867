package io.github.perfkit.parallel;

import java.util.concurrent.RejectedExecutionException;

/**
 * A task was not accepted, for the {@link #reason()} given: the executor was saturated (its
 * concurrency limit and queue were full), it was shut down, or the submitting thread was interrupted
 * while it waited for room. Says which executor and, where a limit was involved, which limit and its
 * value. A rejected task never runs and is counted in {@link BoundedExecutor#rejectedCount()}.
 * Rejections happen on hot paths, so the exception carries no stack trace.
 */
public final class RejectedTaskException extends RejectedExecutionException {

  private static final long serialVersionUID = 1L;

  /** Why a task was rejected. */
  public enum Reason {
    /** {@code maxConcurrency + queueCapacity} tasks were accepted and not finished. */
    SATURATED,
    /** The executor was shut down ({@code shutdown}, {@code shutdownNow} or {@code close}). */
    SHUT_DOWN,
    /** The submitter was interrupted while it waited for room ({@link Backpressure#BLOCK}). */
    INTERRUPTED
  }

  private final String executor;
  private final Reason reason;
  private final String limit;
  private final long value;

  /**
   * Creates the exception for a saturated executor ({@link Reason#SATURATED}).
   *
   * @param executor the executor's name
   * @param limit the limit that was hit, e.g. {@code "maxConcurrency + queueCapacity"}
   * @param value the limit's value
   */
  public RejectedTaskException(String executor, String limit, long value) {
    this(executor, Reason.SATURATED, limit, value, "executor '" + executor + "' rejected a task: "
        + limit + " (" + value + ") reached");
  }

  private RejectedTaskException(String executor, Reason reason, String limit, long value,
      String message) {
    super(message);
    this.executor = executor;
    this.reason = reason;
    this.limit = limit;
    this.value = value;
  }

  /**
   * The executor was shut down.
   *
   * @param executor its name
   * @return the exception
   */
  static RejectedTaskException shutDown(String executor) {
    return new RejectedTaskException(executor, Reason.SHUT_DOWN, "", 0,
        "executor '" + executor + "' is shut down; task rejected");
  }

  /**
   * The submitter was interrupted while waiting for room under {@code limit}.
   *
   * @param executor the executor's name
   * @param limit the limit it waited for
   * @param value the limit's value
   * @return the exception
   */
  static RejectedTaskException interrupted(String executor, String limit, long value) {
    return new RejectedTaskException(executor, Reason.INTERRUPTED, limit, value,
        "executor '" + executor + "' rejected a task: the submitting thread was interrupted while "
            + "it waited for room under " + limit + " (" + value + ")");
  }

  /** @return the executor's name */
  public String executor() {
    return executor;
  }

  /** @return why the task was rejected */
  public Reason reason() {
    return reason;
  }

  /**
   * @return the limit that was hit ({@link Reason#SATURATED}) or waited for
   *     ({@link Reason#INTERRUPTED}); the empty string for {@link Reason#SHUT_DOWN}
   */
  public String limit() {
    return limit;
  }

  /** @return the limit's value; 0 for {@link Reason#SHUT_DOWN} */
  public long value() {
    return value;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
