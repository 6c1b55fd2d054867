package io.github.perfkit.parallel.redis.internal;

import io.github.resilience4j.core.EventConsumer;
import io.github.resilience4j.core.EventProcessor;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import java.time.Duration;
import java.util.Map;

/**
 * A fleet limit seen as a Resilience4j {@link RateLimiter}, so that {@code Guard.rateLimiter(..)}
 * and Resilience4j's decorators use it. The timeout is the fleet limit's {@code maxWait} and may be
 * changed per view; the limit per period is the fleet's and may not. Events are published only when
 * someone listens. Thread-safe.
 */
public final class RateLimiterView implements RateLimiter {

  private final FleetEngine engine;
  private final String name;
  private volatile RateLimiterConfig config;
  private final Events events = new Events();

  /**
   * @param engine the limit
   * @param maxWait the initial timeout
   */
  public RateLimiterView(FleetEngine engine, Duration maxWait) {
    this.engine = engine;
    this.name = engine.settings().name();
    this.config = RateLimiterConfig.custom()
        .limitForPeriod(engine.settings().permits())
        .limitRefreshPeriod(engine.settings().period())
        .timeoutDuration(maxWait)
        .build();
  }

  @Override
  public void changeTimeoutDuration(Duration timeoutDuration) {
    config = RateLimiterConfig.from(config).timeoutDuration(timeoutDuration).build();
  }

  @Override
  public void changeLimitForPeriod(int limitForPeriod) {
    throw new UnsupportedOperationException("the limit of fleet rate limit '" + name
        + "' is shared by every instance and fixed when it is built; build one with a new name"
        + " on every instance instead");
  }

  @Override
  public boolean acquirePermission(int permits) {
    boolean ok = engine.acquire(permits, config.getTimeoutDuration().toNanos());
    publish(ok, permits);
    return ok;
  }

  @Override
  public long reservePermission(int permits) {
    long wait = engine.reserve(permits, config.getTimeoutDuration().toNanos());
    publish(wait >= 0, permits);
    return wait;
  }

  private void publish(boolean ok, int permits) {
    if (events.hasConsumers()) {
      events.processEvent(ok ? new RateLimiterOnSuccessEvent(name, permits)
          : new RateLimiterOnFailureEvent(name, permits));
    }
  }

  @Override
  public void drainPermissions() {
    engine.drain();
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public RateLimiterConfig getRateLimiterConfig() {
    return config;
  }

  @Override
  public Map<String, String> getTags() {
    return Map.of();
  }

  @Override
  public Metrics getMetrics() {
    return new Metrics() {
      @Override
      public int getNumberOfWaitingThreads() {
        return engine.waiting();
      }

      @Override
      public int getAvailablePermissions() {
        return engine.available();
      }
    };
  }

  @Override
  public EventPublisher getEventPublisher() {
    return events;
  }

  @Override
  public String toString() {
    return "FleetRateLimiter[" + name + "]";
  }

  private static final class Events extends EventProcessor<RateLimiterEvent>
      implements EventPublisher {
    @Override
    public EventPublisher onSuccess(EventConsumer<RateLimiterOnSuccessEvent> consumer) {
      registerConsumer(RateLimiterOnSuccessEvent.class.getName(), consumer);
      return this;
    }

    @Override
    public EventPublisher onFailure(EventConsumer<RateLimiterOnFailureEvent> consumer) {
      registerConsumer(RateLimiterOnFailureEvent.class.getName(), consumer);
      return this;
    }
  }
}
