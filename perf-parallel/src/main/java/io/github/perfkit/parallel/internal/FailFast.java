package io.github.perfkit.parallel.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The bookkeeping of one fail-fast bulk call. The calling thread waits for the result it needs next
 * (or for room to submit one more call), and the first failure of any call wakes it at once, whatever
 * the call's position: waiting on futures in input order would make a failure wait behind every
 * slower call before it.
 *
 * <p>Make one per bulk call on the calling thread ({@link #ordered()}, {@link #counted()});
 * {@link #call} wraps each call. The waiting methods
 * belong to that thread only; the calls may complete on any thread. Costs per call: what a
 * {@link FutureTask} costs, one volatile read on completion, and an unpark only when the caller waits
 * for that completion.
 */
public final class FailFast {

  private static final Object ANY = new Object();

  private final Thread caller = Thread.currentThread();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicInteger pending; // calls made and not completed, if counted
  private volatile Object awaited; // the call the caller waits for, ANY, or null

  private FailFast(boolean countPending) {
    this.pending = countPending ? new AtomicInteger() : null;
  }

  /**
   * For a caller that waits for results in order.
   *
   * @return bookkeeping for one bulk call made by the current thread
   */
  public static FailFast ordered() {
    return new FailFast(false);
  }

  /**
   * For a caller that also waits for room ({@link #awaitRoom}): counts the calls not completed, at
   * the cost of one more atomic update per call.
   *
   * @return bookkeeping for one bulk call made by the current thread
   */
  public static FailFast counted() {
    return new FailFast(true);
  }

  /**
   * Wraps one call; hand the result to an executor.
   *
   * @param callable the work
   * @param <R> result type
   * @return the call, to execute and to wait for with {@link #await}
   */
  public <R> Call<R> call(Callable<R> callable) {
    if (pending != null) {
      pending.incrementAndGet();
    }
    return new Call<>(callable);
  }

  /**
   * Throws the first failure of any call, unchanged, if there was one.
   *
   * @throws RuntimeException the failure ({@link IllegalStateException} around a checked one)
   */
  public void throwIfFailed() {
    Throwable t = failure.get();
    if (t != null) {
      throw rethrow(t);
    }
  }

  /**
   * Waits until {@code call} completes or any call fails.
   *
   * @param call one of this group's calls
   * @param <R> result type
   * @return the call's result
   * @throws RuntimeException the first failure of any call, unchanged
   * @throws CancellationException if the caller was interrupted (its interrupt is kept)
   */
  public <R> R await(Call<R> call) {
    awaitDone(call, false, 0);
    return call.result();
  }

  /**
   * Waits until {@code call} completes, any call fails, the deadline passes, or the caller is
   * interrupted.
   *
   * @param call one of this group's calls
   * @param timed whether {@code deadline} applies
   * @param deadline in {@link System#nanoTime()} terms
   * @return false if the deadline passed first
   * @throws RuntimeException the first failure of any call, unchanged
   * @throws CancellationException if the caller was interrupted (its interrupt is kept)
   */
  public boolean awaitDone(Call<?> call, boolean timed, long deadline) {
    return awaitUntil(call, 0, timed, deadline);
  }

  /**
   * Waits until fewer than {@code max} calls are pending, any call fails, the deadline passes, or
   * the caller is interrupted.
   *
   * @param max the most calls pending at once
   * @param timed whether {@code deadline} applies
   * @param deadline in {@link System#nanoTime()} terms
   * @return false if the deadline passed first
   * @throws RuntimeException the first failure of any call, unchanged
   * @throws CancellationException if the caller was interrupted (its interrupt is kept)
   * @throws IllegalStateException if this group does not count its calls ({@link #counted()})
   */
  public boolean awaitRoom(int max, boolean timed, long deadline) {
    if (pending == null) {
      throw new IllegalStateException("awaitRoom needs FailFast.counted()");
    }
    return awaitUntil(null, max, timed, deadline);
  }

  /** Waits for {@code call} to be done, or (call null) for fewer than {@code max} pending. */
  private boolean awaitUntil(Call<?> call, int max, boolean timed, long deadline) {
    awaited = call == null ? ANY : call; // published before the checks: no wake-up is lost
    try {
      while (true) {
        throwIfFailed();
        if (call != null ? call.isDone() : pending.get() < max) {
          return true;
        }
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new CancellationException("interrupted while waiting for a result");
        }
        if (timed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
      }
    } finally {
      awaited = null;
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(cause);
  }

  /**
   * One call of the bulk operation: a {@link FutureTask} whose failure wakes the caller.
   *
   * @param <R> result type
   */
  public final class Call<R> extends FutureTask<R> {
    private Throwable thrown; // written before the completing state change that done() follows

    Call(Callable<R> callable) {
      super(callable);
    }

    /**
     * The result of a completed call.
     *
     * @return its result
     * @throws RuntimeException its failure, unchanged
     * @throws CancellationException if it was cancelled
     */
    public R result() {
      try {
        return get();
      } catch (ExecutionException e) {
        throw rethrow(e.getCause());
      } catch (InterruptedException e) { // not while it is done
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting for a result");
      }
    }

    @Override
    protected void setException(Throwable t) {
      thrown = t;
      super.setException(t);
    }

    @Override
    protected void done() {
      Throwable t = thrown;
      boolean first = t != null && !isCancelled() && failure.compareAndSet(null, t);
      if (pending != null) {
        pending.decrementAndGet(); // after the failure: a caller that sees room also sees it
      }
      Object waitingFor = awaited;
      if (first || waitingFor == this || waitingFor == ANY) {
        LockSupport.unpark(caller);
      }
    }
  }
}
