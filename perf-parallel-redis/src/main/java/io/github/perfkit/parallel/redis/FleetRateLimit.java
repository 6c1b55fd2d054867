package io.github.perfkit.parallel.redis;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.github.perfkit.parallel.redis.internal.FleetEngine;
import io.github.perfkit.parallel.redis.internal.RateLimiterView;
import io.github.perfkit.parallel.redis.internal.Uris;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * A rate limit shared by every instance of a service: at most {@code permits} per {@code period}
 * across all the JVMs that build a limit of the same name on the same Redis, for a quota that
 * belongs to an account rather than to one JVM. Hand it to a {@code Guard}:
 *
 * <pre>{@code
 * FleetRateLimit github = FleetRateLimit.redis("redis://cache:6379", "github-api", 100,
 *     Duration.ofSeconds(1)).build();                            // one per JVM, closed on shutdown
 * Guard api = Guard.named("github").rateLimiter(github.asRateLimiter()).build();
 * Function<String, Repo> fetch = api.wrap(client::repo);
 * }</pre>
 *
 * <p><b>How:</b> a token bucket (GCRA, on Redis's clock) in one Redis key, updated by one atomic Lua
 * script per round trip. An instance takes a small batch of permits per round trip (about 100 ms of
 * its own demand, at most a tenth of a second's permits divided by the live instances) and hands
 * them out to its callers at the times the bucket made them due, so the fleet's rate stays within
 * the limit and the per-call cost stays in process. Permits are granted in the order instances ask,
 * so no instance starves.
 *
 * <p><b>When Redis is slow or down</b> (a command fails or takes longer than
 * {@link Builder#redisTimeout(Duration) redisTimeout}, or Redis was never reached) each instance
 * switches to {@link Mode#LOCAL}: its local share, the limit divided by the instances alive at the
 * last heartbeat (the last value known before Redis went away). The fleet stays near its limit
 * instead of stopping or opening the gate. A heartbeat probes Redis every 250 ms while local and
 * switches back to {@link Mode#SHARED} on the first answer. Each switch logs one line to the
 * {@code System.Logger} {@value #LOGGER_NAME} (WARNING to local, INFO back), naming the server as
 * {@code host:port}, never the URI's credentials.
 *
 * <p>Every instance must build the limit with the same {@code permits}, {@code period} and
 * {@code burst}; the bucket uses whichever instance's settings come with each round trip.
 *
 * <p>Thread-safe: build one per JVM and quota, share it among all callers. Cost of a granted
 * permit: a compare-and-set in process, plus one Redis round trip per batch (see perf-bench's
 * {@code FleetRateLimitBenchmark}); a caller waits (sleeps) until its permit is due. It owns a
 * Redis connection and a daemon thread: {@link #close()} it.
 */
public final class FleetRateLimit implements AutoCloseable {

  /** The {@code System.Logger} name of the mode-change lines. */
  public static final String LOGGER_NAME = "io.github.perfkit.parallel.redis";

  /** Where a limit takes its permits from. */
  public enum Mode {
    /** From the fleet's bucket in Redis. */
    SHARED,
    /** From this instance's share of the limit, because Redis is slow, down or not reached yet. */
    LOCAL
  }

  private final FleetEngine engine;
  private final Duration maxWait;
  private final RateLimiter view;

  private FleetRateLimit(FleetEngine engine, Duration maxWait) {
    this.engine = engine;
    this.maxWait = maxWait;
    this.view = new RateLimiterView(engine, maxWait);
  }

  /**
   * Starts a fleet rate limit kept in the Redis at {@code uri}.
   *
   * @param uri the Redis URI, {@code redis://[[user]:password@]host[:port][/database]} (or
   *     {@code rediss://})
   * @param name the limit's name: every instance using the same name on the same Redis shares it
   *     (also the {@code name} tag of the metrics)
   * @param permits permits per period across the fleet, {@code >= 1}
   * @param period the period, positive
   * @return a builder
   * @throws IllegalArgumentException naming the parameter that is wrong ({@code uri} never
   *     repeats the URI)
   */
  public static Builder redis(String uri, String name, int permits, Duration period) {
    RedisURI parsed = Uris.parse(uri);
    Require.notBlank(name, "name");
    Require.positive(permits, "permits");
    Require.positive(period, "period");
    return new Builder(parsed, name, permits, period);
  }

  /** @return the limit's name */
  public String name() {
    return engine.settings().name();
  }

  /**
   * Takes one permit, waiting until it is due, at most {@link Builder#maxWait(Duration) maxWait}.
   *
   * @return true if granted, false if no permit is due within the wait (or the thread was
   *     interrupted; its flag is set again)
   */
  public boolean tryAcquire() {
    return engine.acquire(1, maxWait.toNanos());
  }

  /**
   * Takes one permit, waiting until it is due, at most {@code maxWait}.
   *
   * @param maxWait the longest wait, {@code >= 0} ({@code ZERO}: only a permit due now)
   * @return true if granted
   */
  public boolean tryAcquire(Duration maxWait) {
    return engine.acquire(1, Require.nonNegative(maxWait, "maxWait").toNanos());
  }

  /**
   * This limit as a Resilience4j {@link RateLimiter}, for {@code Guard.rateLimiter(..)} or
   * Resilience4j's decorators. Its timeout is {@code maxWait}; {@code changeLimitForPeriod} is
   * unsupported (the limit belongs to the fleet). The same object on every call.
   *
   * @return the view
   */
  public RateLimiter asRateLimiter() {
    return view;
  }

  /** @return where permits come from now */
  public Mode mode() {
    return engine.mode();
  }

  /** @return instances alive at the last heartbeat (or assumed, before Redis first answered) */
  public int liveInstances() {
    return engine.liveInstances();
  }

  /** @return this instance's counters */
  public FleetStats stats() {
    return engine.stats();
  }

  /** @return the Micrometer binder of this limit's meters (see {@link FleetRateLimitMetrics}) */
  public FleetRateLimitMetrics metrics() {
    return new FleetRateLimitMetrics(this);
  }

  /** Stops the heartbeat, leaves the live set and closes the Redis connection. Idempotent. */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    var s = engine.settings();
    return "FleetRateLimit[" + s.name() + ", " + s.permits() + " per " + s.period() + " on "
        + s.target() + ", " + engine.mode() + "]";
  }

  /**
   * Settings of a {@link FleetRateLimit}. Each may be set once; argument errors are thrown by the
   * setter, naming the parameter. {@link #build()} may be called again for another, independent
   * limit. Not thread-safe.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final RedisURI uri;
    private final String name;
    private final int permits;
    private final Duration period;
    private int burst;
    private Duration maxWait = Duration.ofSeconds(60);
    private Duration redisTimeout = Duration.ofMillis(200);
    private Duration heartbeat = Duration.ofSeconds(1);
    private int maxBatch;
    private int assumedInstances = 1;

    private Builder(RedisURI uri, String name, int permits, Duration period) {
      this.uri = uri;
      this.name = name;
      this.permits = permits;
      this.period = period;
      this.burst = permits;
    }

    /**
     * @param burst permits the fleet may take at once after a quiet spell (default
     *     {@code permits}; 1 for an even rate), {@code >= 1}. In any window of one period the
     *     fleet takes at most {@code permits + burst - 1}.
     * @return this builder
     */
    public Builder burst(int burst) {
      set.mark("burst");
      this.burst = Require.positive(burst, "burst");
      return this;
    }

    /**
     * @param maxWait how long a caller waits for a permit before it is refused (default 60 s, as
     *     {@code Guard.rateLimitWait}), {@code >= 0}
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      set.mark("maxWait");
      this.maxWait = Require.nonNegative(maxWait, "maxWait");
      return this;
    }

    /**
     * @param redisTimeout how long a Redis command may take before the instance switches to its
     *     local share (default 200 ms), positive
     * @return this builder
     */
    public Builder redisTimeout(Duration redisTimeout) {
      set.mark("redisTimeout");
      this.redisTimeout = Require.positive(redisTimeout, "redisTimeout");
      return this;
    }

    /**
     * @param heartbeat how often an instance tells Redis it is alive (default 1 s); an instance
     *     silent for three heartbeats no longer counts in the local share, positive
     * @return this builder
     */
    public Builder heartbeat(Duration heartbeat) {
      set.mark("heartbeat");
      this.heartbeat = Require.positive(heartbeat, "heartbeat");
      return this;
    }

    /**
     * @param maxBatch the most permits one round trip takes for this instance (default: a tenth of
     *     a second's permits divided by the live instances, at most {@code burst}), {@code >= 1}
     * @return this builder
     */
    public Builder maxBatch(int maxBatch) {
      set.mark("maxBatch");
      this.maxBatch = Require.positive(maxBatch, "maxBatch");
      return this;
    }

    /**
     * @param assumedInstances the instance count to divide the limit by before Redis has answered
     *     a heartbeat (startup with Redis down), default 1, {@code >= 1}
     * @return this builder
     */
    public Builder assumedInstances(int assumedInstances) {
      set.mark("assumedInstances");
      this.assumedInstances = Require.positive(assumedInstances, "assumedInstances");
      return this;
    }

    /**
     * Builds the limit and tries Redis once (for at most about {@code redisTimeout}); when Redis
     * cannot be reached it starts in {@link Mode#LOCAL} and keeps trying.
     *
     * @return the limit, to {@link FleetRateLimit#close() close} on shutdown
     * @throws IllegalStateException if {@code maxBatch} exceeds {@code burst} (a batch could
     *     never be granted at once)
     */
    public FleetRateLimit build() {
      Require.state(maxBatch <= burst, "maxBatch (" + maxBatch + ") must not exceed burst ("
          + burst + ") of fleet rate limit '" + name + "'");
      RedisURI copy = RedisURI.builder(uri).build();
      FleetEngine.Settings settings = new FleetEngine.Settings(name, copy, Uris.describe(copy),
          permits, period, burst, redisTimeout, heartbeat, maxBatch, assumedInstances);
      return new FleetRateLimit(new FleetEngine(settings), maxWait);
    }
  }
}
