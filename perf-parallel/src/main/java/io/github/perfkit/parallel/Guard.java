package io.github.perfkit.parallel;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Rate limit, retries with exponential backoff and jitter, and a shared concurrency limit, wrapped
 * around any call to one downstream. Built on Resilience4j's {@link RateLimiter} and {@link Retry}.
 *
 * <pre>{@code
 * Guard prices = Guard.named("prices")
 *     .rateLimit(100, Duration.ofSeconds(1))        // at most 100 calls per second
 *     .retry(4, Duration.ofMillis(50))              // 50 ms, 100 ms, 200 ms (+-50% jitter)
 *     .concurrencyLimit(ConcurrencyLimit.fixed("prices", 20))
 *     .build();
 * Function<String, Price> fetch = prices.wrap(client::price);   // an ordinary Function
 * List<Price> all = io.map(symbols, fetch);
 * }</pre>
 *
 * <p><b>Order:</b> the retry is outermost, so every attempt is a separate call that waits for its
 * own rate-limit permit and then its own concurrency permit; a backoff sleep holds neither.
 * By default every exception is retried except {@link RequestNotPermitted} (the rate limit's own
 * timeout) and {@link CancellationException}; narrow it with {@link Builder#retryOn}.
 *
 * <p>Thread-safe: share one guard among all callers of a downstream (that is what makes the rate
 * and concurrency limits hold). Cost per call: what Resilience4j's own decorators cost (the wrapped
 * {@link Function} is decorated once, when it is wrapped) plus, when a concurrency limit is set, its
 * permit.
 */
public final class Guard {

  private final String name;
  private final RateLimiter rateLimiter;
  private final Retry retry;
  private final ConcurrencyLimit limit;

  private Guard(String name, RateLimiter rateLimiter, Retry retry, ConcurrencyLimit limit) {
    this.name = name;
    this.rateLimiter = rateLimiter;
    this.retry = retry;
    this.limit = limit;
  }

  /**
   * Starts a guard for one downstream.
   *
   * @param name names the downstream (Resilience4j instance names, errors)
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder named(String name) {
    return new Builder(Require.notBlank(name, "name"));
  }

  /** @return the downstream's name */
  public String name() {
    return name;
  }

  /** @return the Resilience4j rate limiter, to read its metrics or bind resilience4j-micrometer */
  public Optional<RateLimiter> rateLimiter() {
    return Optional.ofNullable(rateLimiter);
  }

  /** @return the Resilience4j retry, to read its metrics or bind resilience4j-micrometer */
  public Optional<Retry> retry() {
    return Optional.ofNullable(retry);
  }

  /** @return the concurrency limit, if any */
  public Optional<ConcurrencyLimit> concurrencyLimit() {
    return Optional.ofNullable(limit);
  }

  /**
   * Runs {@code call} under the guard.
   *
   * @param call the call
   * @param <T> result type
   * @return its result
   * @throws Exception the last attempt's exception, unchanged
   */
  public <T> T call(Callable<T> call) throws Exception {
    return decorate(Require.notNull(call, "call")).call();
  }

  /**
   * @param fn the function
   * @param <T> input type
   * @param <R> result type
   * @return {@code fn} under the guard, as an ordinary {@link Function}
   */
  public <T, R> Function<T, R> wrap(Function<T, R> fn) {
    Require.notNull(fn, "fn");
    Function<T, R> attempt = input -> {
      if (rateLimiter != null) {
        RateLimiter.waitForPermission(rateLimiter);
      }
      return limit == null ? fn.apply(input) : unchecked(() -> limit.call(() -> fn.apply(input)));
    };
    return retry == null ? attempt : Retry.decorateFunction(retry, attempt);
  }

  /**
   * @param supplier the supplier
   * @param <T> result type
   * @return {@code supplier} under the guard, as an ordinary {@link Supplier}
   */
  public <T> Supplier<T> wrap(Supplier<T> supplier) {
    Require.notNull(supplier, "supplier");
    Supplier<T> attempt = () -> {
      if (rateLimiter != null) {
        RateLimiter.waitForPermission(rateLimiter);
      }
      return limit == null ? supplier.get() : unchecked(() -> limit.call(supplier::get));
    };
    return retry == null ? attempt : Retry.decorateSupplier(retry, attempt);
  }

  private <T> Callable<T> decorate(Callable<T> call) {
    Callable<T> attempt = () -> {
      if (rateLimiter != null) {
        RateLimiter.waitForPermission(rateLimiter);
      }
      return limit == null ? call.call() : limit.call(call);
    };
    return retry == null ? attempt : Retry.decorateCallable(retry, attempt);
  }

  private static <T> T unchecked(Callable<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a concurrency permit");
    } catch (Exception e) {
      // an unchecked call can only throw a checked exception by sneaking it; keep it as the cause
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Guard[" + name + (rateLimiter != null ? ", rate limit" : "")
        + (retry != null ? ", retry" : "") + (limit != null ? ", " + limit : "") + "]";
  }

  /**
   * Settings of a {@link Guard}. Each setting may be set once (a second call throws
   * {@link IllegalStateException} naming it; {@code retry(maxAttempts, initialBackoff)} and
   * {@code retry(Retry)} are two settings, which {@link #build()} refuses together). A bad
   * argument fails in its setter, naming the parameter; rules across settings fail in
   * {@link #build()}. Not thread-safe; {@link #build()} copies the settings into a new guard (with
   * its own Resilience4j rate limiter and retry), so reusing the builder never changes a guard
   * built before.
   */
  public static final class Builder {
    private final String name;
    private RateLimiter rateLimiter;
    private int calls;
    private Duration period;
    private Duration rateWait = Duration.ofSeconds(60);
    private Retry retry;
    private int maxAttempts;
    private Duration initialBackoff;
    private double multiplier = 2.0;
    private double jitter = 0.5;
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Predicate<Throwable> retryOn = t -> true;
    private ConcurrencyLimit limit;
    private final SetOnce set = new SetOnce();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * At most {@code calls} calls start in each {@code period} (Resilience4j's fixed-window
     * {@link RateLimiter}); callers beyond it wait for the next period, up to
     * {@link #rateLimitWait(Duration)}.
     *
     * @param calls calls per period, {@code >= 1}
     * @param period the period, positive
     * @return this builder
     */
    public Builder rateLimit(int calls, Duration period) {
      Require.positive(calls, "calls");
      Require.positive(period, "period");
      set.mark("rateLimit");
      this.period = period;
      this.calls = calls;
      return this;
    }

    /**
     * @param maxWait how long a call waits for a rate-limit permit before failing with
     *     {@link RequestNotPermitted} (default 60 s), {@code >= 0}
     * @return this builder
     */
    public Builder rateLimitWait(Duration maxWait) {
      Require.nonNegative(maxWait, "rateLimitWait");
      set.mark("rateLimitWait");
      this.rateWait = maxWait;
      return this;
    }

    /**
     * Uses a rate limiter you already configured (and perhaps registered) instead.
     *
     * @param rateLimiter the Resilience4j rate limiter
     * @return this builder
     */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      Require.notNull(rateLimiter, "rateLimiter");
      set.mark("rateLimiter");
      this.rateLimiter = rateLimiter;
      return this;
    }

    /**
     * Retries a failed call up to {@code maxAttempts} attempts in all, waiting
     * {@code initialBackoff * multiplier^(n-1)} (default multiplier 2), randomised by the jitter
     * (default +-50%) and capped by {@link #maxBackoff(Duration)} (default 30 s).
     *
     * @param maxAttempts attempts including the first, {@code >= 1}
     * @param initialBackoff the first wait, positive
     * @return this builder
     */
    public Builder retry(int maxAttempts, Duration initialBackoff) {
      Require.positive(maxAttempts, "maxAttempts");
      Require.positive(initialBackoff, "initialBackoff");
      set.mark("retry");
      this.initialBackoff = initialBackoff;
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param multiplier growth of the backoff per attempt, {@code >= 1} (default 2)
     * @return this builder
     */
    public Builder backoffMultiplier(double multiplier) {
      Require.inRange(multiplier, 1.0, 100.0, "backoffMultiplier");
      set.mark("backoffMultiplier");
      this.multiplier = multiplier;
      return this;
    }

    /**
     * @param jitter the randomisation factor: each wait is drawn from
     *     {@code [wait * (1 - jitter), wait * (1 + jitter)]}, in [0, 1) (default 0.5)
     * @return this builder
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) { // [0, 1): Require.inRange is closed at both ends
        throw new IllegalArgumentException("jitter must be in [0, 1) but was " + jitter);
      }
      set.mark("jitter");
      this.jitter = jitter;
      return this;
    }

    /**
     * @param maxBackoff the longest wait between attempts (default 30 s), positive
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      Require.positive(maxBackoff, "maxBackoff");
      set.mark("maxBackoff");
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * Which failures are retried (in addition to the defaults' exclusions).
     *
     * @param retryOn true for a failure worth another attempt
     * @return this builder
     */
    public Builder retryOn(Predicate<Throwable> retryOn) {
      Require.notNull(retryOn, "retryOn");
      set.mark("retryOn");
      this.retryOn = retryOn;
      return this;
    }

    /**
     * Uses a Resilience4j retry you already configured instead.
     *
     * @param retry the retry
     * @return this builder
     */
    public Builder retry(Retry retry) {
      Require.notNull(retry, "retry");
      set.mark("retry(Retry)");
      this.retry = retry;
      return this;
    }

    /**
     * Every attempt also holds a permit of this limit, which may be shared with executors and
     * other guards calling the same downstream.
     *
     * @param limit the limit
     * @return this builder
     */
    public Builder concurrencyLimit(ConcurrencyLimit limit) {
      Require.notNull(limit, "limit");
      set.mark("concurrencyLimit");
      this.limit = limit;
      return this;
    }

    /**
     * @return the guard
     * @throws IllegalStateException if a setting would be ignored: {@code rateLimitWait} without
     *     {@code rateLimit(calls, period)}, backoff settings or {@code retryOn} without
     *     {@code retry(maxAttempts, initialBackoff)}, both forms of the rate limit or of the retry,
     *     or a {@code maxBackoff} below the {@code initialBackoff}
     */
    public Guard build() {
      Require.state(rateLimiter == null || period == null, "rateLimit(calls, period) and "
          + "rateLimiter(RateLimiter) both set for guard '" + name + "': choose one");
      Require.state(retry == null || initialBackoff == null, "retry(maxAttempts, initialBackoff)"
          + " and retry(Retry) both set for guard '" + name + "': choose one");
      Require.state(!set.isSet("rateLimitWait") || period != null, "rateLimitWait needs"
          + " rateLimit(calls, period) on guard '" + name + "'" + (rateLimiter != null
              ? ": a RateLimiter passed in keeps its own timeout" : "; it would be ignored"));
      String retrySettings = String.join(", ", Stream.of(
          "backoffMultiplier", "jitter", "maxBackoff", "retryOn").filter(set::isSet).toList());
      Require.state(retrySettings.isEmpty() || initialBackoff != null, retrySettings + " needs"
          + " retry(maxAttempts, initialBackoff) on guard '" + name + "'" + (retry != null
              ? ": a Retry passed in keeps its own settings" : "; it would be ignored"));
      Require.state(initialBackoff == null || maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff must be >= initialBackoff but was " + maxBackoff + " < " + initialBackoff
              + " on guard '" + name + "'");
      RateLimiter rl = rateLimiter;
      if (rl == null && period != null) {
        rl = RateLimiter.of(name, RateLimiterConfig.custom()
            .limitForPeriod(calls)
            .limitRefreshPeriod(period)
            .timeoutDuration(rateWait)
            .build());
      }
      Retry rt = retry;
      if (rt == null && initialBackoff != null) {
        Predicate<Throwable> user = retryOn;
        rt = Retry.of(name, RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .intervalFunction(jitter == 0
                ? IntervalFunction.ofExponentialBackoff(initialBackoff, multiplier, maxBackoff)
                : IntervalFunction.ofExponentialRandomBackoff(initialBackoff, multiplier, jitter,
                    maxBackoff))
            .retryOnException(t -> !(t instanceof RequestNotPermitted)
                && !(t instanceof CancellationException)
                && !(t instanceof InterruptedException)
                && user.test(t))
            .build());
      }
      return new Guard(name, rl, rt, limit);
    }
  }
}
