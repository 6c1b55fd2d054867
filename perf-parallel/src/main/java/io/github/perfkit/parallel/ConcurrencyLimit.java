package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.parallel.internal.AimdAlgorithm;
import io.github.perfkit.parallel.internal.GradientAlgorithm;
import io.github.perfkit.parallel.internal.LimitAlgorithm;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A limit on how many calls to one downstream run at once, shared by every executor and
 * {@link Guard} that is given it: fixed, or adaptive to the latency the downstream shows.
 *
 * <pre>{@code
 * ConcurrencyLimit db = ConcurrencyLimit.gradient("orders-db").floor(4).ceiling(200).build();
 * BoundedExecutor web = Parallel.io("web").maxConcurrency(500).limit(db).build();
 * BoundedExecutor jobs = Parallel.io("jobs").maxConcurrency(100).limit(db).build();
 * // together, web and jobs never run more than db.limit() calls at once
 * }</pre>
 *
 * <p><b>Adaptive limits</b> (there is no executor for these in Netflix's concurrency-limits, its
 * issue #80): {@link #aimd(String)} adds about one per round trip while calls stay under a latency
 * threshold and backs off by a ratio when one exceeds it; {@link #gradient(String)} compares each
 * window's mean latency with the no-load latency and shrinks the limit in proportion to the
 * inflation, growing only while latency stays at the no-load level. Against a downstream whose
 * latency rises with its concurrency, both settle near the knee instead of growing without bound
 * (the failure reported in concurrency-limits #134 and #137); see {@code AdaptiveLimitTest}.
 * A limit grows only while it is being used (at least half of it in flight).
 *
 * <p>Thread-safe. A fixed limit is a {@link Semaphore} (about the cost of one); an adaptive limit
 * guards its in-flight count and limit with one lock and {@link #acquire()} waits on a condition:
 * two uncontended lock round trips per call plus the algorithm's arithmetic (tens of nanoseconds,
 * see README's benchmark table). Meant for calls that wait milliseconds (I/O), not nanosecond tasks.
 */
public final class ConcurrencyLimit {

  private final String name;
  private final LimitAlgorithm algorithm;
  private final Predicate<Throwable> dropOn;
  private final Semaphore fixed; // a fixed limit: a plain semaphore, no lock, no sampling
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private double limit;
  private int inFlight;

  private ConcurrencyLimit(String name, LimitAlgorithm algorithm, Predicate<Throwable> dropOn,
      boolean isFixed) {
    this.name = name;
    this.algorithm = algorithm;
    this.dropOn = dropOn;
    this.limit = algorithm.initial();
    this.fixed = isFixed ? new Semaphore((int) limit) : null;
  }

  /**
   * A limit that never changes.
   *
   * @param name names the downstream in errors and metrics
   * @param limit calls at once, {@code >= 1}
   * @return the limit
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank or {@code limit} below 1
   */
  public static ConcurrencyLimit fixed(String name, int limit) {
    Require.notBlank(name, "name");
    Require.positive(limit, "limit");
    return new ConcurrencyLimit(name, LimitAlgorithm.fixed(limit), t -> false, true);
  }

  /**
   * An AIMD limit: +1 per round trip while calls finish under {@link AimdBuilder#latencyThreshold},
   * times {@link AimdBuilder#backoffRatio} (default 0.9) when one does not or is dropped.
   *
   * @param name names the downstream
   * @return a builder
   */
  public static AimdBuilder aimd(String name) {
    return new AimdBuilder(Require.notBlank(name, "name"));
  }

  /**
   * A gradient limit: every window of calls, {@code limit *= min(1, tolerance * minLatency /
   * meanLatency)}, plus {@code sqrt(limit)} headroom when latency is at its no-load level.
   *
   * @param name names the downstream
   * @return a builder
   */
  public static GradientBuilder gradient(String name) {
    return new GradientBuilder(Require.notBlank(name, "name"));
  }

  /** @return the downstream's name */
  public String name() {
    return name;
  }

  /** @return how many calls may run at once now */
  public int limit() {
    if (fixed != null) {
      return (int) limit;
    }
    lock.lock();
    try {
      return (int) limit;
    } finally {
      lock.unlock();
    }
  }

  /** @return calls holding a permit now */
  public int inFlight() {
    if (fixed != null) {
      return (int) limit - fixed.availablePermits();
    }
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for room under the limit.
   *
   * @return the permit; release it exactly once
   * @throws InterruptedException if interrupted while waiting (no permit is held then)
   */
  public Permit acquire() throws InterruptedException {
    if (fixed != null) {
      fixed.acquire();
      return new Permit(0);
    }
    lock.lockInterruptibly();
    try {
      while (inFlight >= (int) limit) {
        room.await();
      }
      return grant();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a permit only if there is room now.
   *
   * @return the permit, or empty when the limit is reached
   */
  public Optional<Permit> tryAcquire() {
    if (fixed != null) {
      return fixed.tryAcquire() ? Optional.of(new Permit(0)) : Optional.empty();
    }
    lock.lock();
    try {
      return inFlight >= (int) limit ? Optional.empty() : Optional.of(grant());
    } finally {
      lock.unlock();
    }
  }

  private Permit grant() {
    inFlight++;
    return new Permit(inFlight);
  }

  /**
   * Runs {@code call} under a permit and feeds its latency to the limit.
   *
   * @param call the call
   * @param <T> result type
   * @return its result
   * @throws Exception what {@code call} throws, unchanged
   */
  public <T> T call(Callable<T> call) throws Exception {
    Require.notNull(call, "call");
    if (fixed != null) { // no latency to learn from: no permit object
      fixed.acquire();
      try {
        return call.call();
      } finally {
        fixed.release();
      }
    }
    Permit permit = acquire();
    boolean ok = false;
    try {
      T result = call.call();
      ok = true;
      return result;
    } catch (Exception | Error e) {
      permit.release(e);
      throw e;
    } finally {
      if (ok) {
        permit.release();
      }
    }
  }

  private void complete(long rttNanos, int startedInFlight, boolean dropped, boolean sample) {
    if (fixed != null) {
      fixed.release();
      return;
    }
    lock.lock();
    try {
      inFlight--;
      double before = limit;
      if (sample) {
        limit = algorithm.onSample(rttNanos, startedInFlight, dropped, limit);
      }
      if ((int) limit > (int) before) {
        room.signalAll();
      } else if (inFlight < (int) limit) {
        room.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ConcurrencyLimit[" + name + ", " + algorithm.describe() + ", limit=" + limit() + "]";
  }

  /**
   * The right to make one call. Not thread-safe: release it once, from any thread.
   */
  public final class Permit {
    private final long started = System.nanoTime();
    private final int startedInFlight;
    private boolean released;

    private Permit(int startedInFlight) {
      this.startedInFlight = startedInFlight;
    }

    /** The call succeeded: its latency counts. */
    public void release() {
      finish(false, true);
    }

    /**
     * The call failed: a failure the limit was built to treat as overload (by default a
     * {@link TimeoutException}) shrinks it; other failures count as an ordinary latency sample.
     *
     * @param failure what the call threw
     */
    public void release(Throwable failure) {
      finish(failure != null && dropOn.test(failure), true);
    }

    /** The call never reached the downstream: give the permit back without a latency sample. */
    public void releaseUnused() {
      finish(false, false);
    }

    private void finish(boolean dropped, boolean sample) {
      if (released) {
        throw new IllegalStateException("permit already released");
      }
      released = true;
      complete(System.nanoTime() - started, startedInFlight, dropped, sample);
    }
  }

  /**
   * Settings shared by the adaptive limits. Each setting may be set once (a second call throws
   * {@link IllegalStateException} naming it); a bad argument fails in its setter, naming the
   * parameter; {@code build()} checks that the ceiling is not below the floor. Not thread-safe;
   * each {@code build()} makes a new, independent limit from a copy of the settings.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    final String name;
    int floor = 1;
    int ceiling = 1_000;
    int initial = 10;
    Predicate<Throwable> dropOn = t -> t instanceof TimeoutException;
    final SetOnce set = new SetOnce();

    Builder(String name) {
      this.name = name;
    }

    abstract B self();

    /**
     * @param floor the lowest the limit goes, {@code >= 1} (default 1)
     * @return this builder
     */
    public B floor(int floor) {
      Require.positive(floor, "floor");
      set.mark("floor");
      this.floor = floor;
      return self();
    }

    /**
     * @param ceiling the highest the limit goes, {@code >= floor} (default 1,000)
     * @return this builder
     */
    public B ceiling(int ceiling) {
      Require.positive(ceiling, "ceiling");
      set.mark("ceiling");
      this.ceiling = ceiling;
      return self();
    }

    /**
     * @param initial the starting limit, between floor and ceiling (default 10, clamped)
     * @return this builder
     */
    public B initial(int initial) {
      Require.positive(initial, "initial");
      set.mark("initial");
      this.initial = initial;
      return self();
    }

    /**
     * Which failures mean "the downstream is overloaded" (default: {@link TimeoutException}).
     *
     * @param dropOn true for a failure that should shrink the limit
     * @return this builder
     */
    public B dropOn(Predicate<Throwable> dropOn) {
      Require.notNull(dropOn, "dropOn");
      set.mark("dropOn");
      this.dropOn = dropOn;
      return self();
    }

    int checkedInitial() {
      Require.state(ceiling >= floor, "ceiling must be >= floor but was " + ceiling + " < "
          + floor + " on limit '" + name + "'");
      return Math.max(floor, Math.min(ceiling, initial));
    }
  }

  /** Settings of an AIMD limit. Not thread-safe. */
  public static final class AimdBuilder extends Builder<AimdBuilder> {
    private Duration threshold = Duration.ofSeconds(1);
    private double backoffRatio = 0.9;

    private AimdBuilder(String name) {
      super(name);
    }

    @Override
    AimdBuilder self() {
      return this;
    }

    /**
     * @param threshold a call slower than this signals overload (default 1 s), positive
     * @return this builder
     */
    public AimdBuilder latencyThreshold(Duration threshold) {
      Require.positive(threshold, "latencyThreshold");
      set.mark("latencyThreshold");
      this.threshold = threshold;
      return this;
    }

    /**
     * @param ratio the multiplier on overload, in (0, 1) (default 0.9)
     * @return this builder
     */
    public AimdBuilder backoffRatio(double ratio) {
      if (!(ratio > 0 && ratio < 1)) { // (0, 1): Require.inRange is closed at both ends
        throw new IllegalArgumentException("backoffRatio must be in (0, 1) but was " + ratio);
      }
      set.mark("backoffRatio");
      this.backoffRatio = ratio;
      return this;
    }

    /**
     * @return a new limit
     * @throws IllegalStateException if the ceiling is below the floor
     */
    public ConcurrencyLimit build() {
      int start = checkedInitial();
      return new ConcurrencyLimit(name, new AimdAlgorithm(floor, ceiling, start,
          threshold.toNanos(), backoffRatio), dropOn, false);
    }
  }

  /** Settings of a gradient limit. Not thread-safe. */
  public static final class GradientBuilder extends Builder<GradientBuilder> {
    private double tolerance = 1.5;
    private int window = 50;

    private GradientBuilder(String name) {
      super(name);
    }

    @Override
    GradientBuilder self() {
      return this;
    }

    /**
     * @param tolerance accepted latency inflation over the no-load latency before the limit shrinks,
     *     {@code >= 1} (default 1.5)
     * @return this builder
     */
    public GradientBuilder tolerance(double tolerance) {
      if (!(tolerance >= 1 && tolerance < 100)) { // [1, 100): Require.inRange is closed
        throw new IllegalArgumentException("tolerance must be in [1, 100) but was " + tolerance);
      }
      set.mark("tolerance");
      this.tolerance = tolerance;
      return this;
    }

    /**
     * @param calls the most completed calls per limit update (a window also ends after about two
     *     round trips of the current limit), {@code >= 1} (default 50)
     * @return this builder
     */
    public GradientBuilder window(int calls) {
      Require.positive(calls, "window");
      set.mark("window");
      this.window = calls;
      return this;
    }

    /**
     * @return a new limit
     * @throws IllegalStateException if the ceiling is below the floor
     */
    public ConcurrencyLimit build() {
      int start = checkedInitial();
      return new ConcurrencyLimit(name, new GradientAlgorithm(floor, ceiling, start, tolerance,
          window), dropOn, false);
    }
  }
}
