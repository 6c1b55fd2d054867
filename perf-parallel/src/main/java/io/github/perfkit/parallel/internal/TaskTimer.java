package io.github.perfkit.parallel.internal;

import io.github.perfkit.parallel.TaskTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Per-call timeouts: one shared daemon timer thread interrupts a call that runs too long. A call
 * that finishes first cancels its timer; one that loses the race clears the interrupt the timer sent
 * (under the same monitor the timer interrupts under, so the interrupt cannot arrive later and hit
 * the thread's next task). Thread-safe.
 */
public final class TaskTimer {

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int TIMED_OUT = 2;

  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private TaskTimer() {}

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "perfkit-task-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * A duration in nanoseconds, {@link Long#MAX_VALUE} for one too long to count in them (about 292
   * years): where {@link Duration#toNanos()} would throw {@link ArithmeticException}.
   *
   * @param duration a non-negative duration
   * @return its nanoseconds, saturated
   */
  public static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Calls {@code fn(input)} with a timeout.
   *
   * @param fn the function
   * @param input its input
   * @param timeout the timeout
   * @param <T> input type
   * @param <R> result type
   * @return the result
   * @throws TaskTimeoutException if the timeout fired
   */
  public static <T, R> R call(Function<? super T, ? extends R> fn, T input, Duration timeout) {
    Thread thread = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      synchronized (state) {
        if (state.compareAndSet(RUNNING, TIMED_OUT)) {
          thread.interrupt();
        }
      }
    }, nanos(timeout), TimeUnit.NANOSECONDS);
    R result = null;
    Throwable failure = null;
    try {
      result = fn.apply(input);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    if (state.compareAndSet(RUNNING, DONE)) {
      timer.cancel(false);
    } else {
      synchronized (state) {
        Thread.interrupted(); // the interrupt we sent, not the caller's
      }
      throw new TaskTimeoutException(timeout, failure);
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return result;
  }
}
