package io.github.perfkit.parallel.redis;

import io.github.perfkit.core.internal.Require;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer binder of a {@link FleetRateLimit}, from {@link FleetRateLimit#metrics()}. Every
 * meter carries the tag {@code name} (the limit's name) plus the binder's extra tags, and one set of
 * tag keys per meter name:
 * <ul>
 *   <li>{@code perfkit.ratelimit.permits{result=granted|rejected}}: counter, permits handed out or
 *       refused by this instance;
 *   <li>{@code perfkit.ratelimit.waited}: counter, granted permits whose caller slept first;
 *   <li>{@code perfkit.ratelimit.wait}: counter in seconds, time callers spent before a grant;
 *   <li>{@code perfkit.ratelimit.fallbacks}: counter, permits granted from the local share while
 *       Redis was away;
 *   <li>{@code perfkit.ratelimit.mode{mode=shared|local}}: gauge, 1 for the current mode, else 0;
 *   <li>{@code perfkit.ratelimit.instances}: gauge, instances alive at the last heartbeat;
 *   <li>{@code perfkit.ratelimit.redis.commands}: counter, round trips to Redis.
 * </ul>
 * Sum the counters over instances for the fleet's totals. Holds the limit weakly (binding never
 * keeps it alive). Immutable and thread-safe; {@link #tags(String...)} returns a new binder.
 */
public final class FleetRateLimitMetrics implements MeterBinder {

  private final WeakReference<FleetRateLimit> limit;
  private final Tags tags;

  FleetRateLimitMetrics(FleetRateLimit limit) {
    this(new WeakReference<>(limit), Tags.empty());
  }

  private FleetRateLimitMetrics(WeakReference<FleetRateLimit> limit, Tags tags) {
    this.limit = limit;
    this.tags = tags;
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param keyValues an even number of strings
   * @return a new binder
   * @throws IllegalArgumentException if the count is odd
   */
  public FleetRateLimitMetrics tags(String... keyValues) {
    Require.notNull(keyValues, "keyValues");
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keyValues must come in pairs but had "
          + keyValues.length + " elements");
    }
    return new FleetRateLimitMetrics(limit, tags.and(keyValues));
  }

  /**
   * This binder with more tags on every meter.
   *
   * @param tags the tags
   * @return a new binder
   */
  public FleetRateLimitMetrics tags(Iterable<Tag> tags) {
    Require.notNull(tags, "tags");
    return new FleetRateLimitMetrics(limit, this.tags.and(tags));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Require.notNull(registry, "registry");
    FleetRateLimit l = limit.get();
    if (l == null) {
      return;
    }
    Tags t = tags.and("name", l.name());
    counter(registry, "perfkit.ratelimit.permits", t.and("result", "granted"), l,
        x -> x.stats().granted(), "Permits handed out by this instance", "permits");
    counter(registry, "perfkit.ratelimit.permits", t.and("result", "rejected"), l,
        x -> x.stats().rejected(), "Permits refused: not due within the caller's wait",
        "permits");
    counter(registry, "perfkit.ratelimit.waited", t, l, x -> x.stats().waited(),
        "Granted permits whose caller slept until the permit was due", null);
    counter(registry, "perfkit.ratelimit.wait", t, l,
        x -> x.stats().totalWait().toNanos() / 1e9, "Time callers spent before a grant",
        "seconds");
    counter(registry, "perfkit.ratelimit.fallbacks", t, l, x -> x.stats().fallbacks(),
        "Permits granted from this instance's local share while Redis was away", null);
    counter(registry, "perfkit.ratelimit.redis.commands", t, l,
        x -> x.stats().redisRoundTrips(), "Round trips to Redis", null);
    for (FleetRateLimit.Mode m : FleetRateLimit.Mode.values()) {
      Gauge.builder("perfkit.ratelimit.mode", l, x -> x.mode() == m ? 1 : 0)
          .tags(t.and("mode", m.name().toLowerCase(Locale.ROOT)))
          .description("1 for the mode the limit is in (shared: one bucket in Redis; local: this"
              + " instance's share while Redis is away)")
          .register(registry);
    }
    Gauge.builder("perfkit.ratelimit.instances", l, FleetRateLimit::liveInstances).tags(t)
        .description("Instances alive at the last heartbeat").baseUnit("instances")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, Tags tags, FleetRateLimit l,
      ToDoubleFunction<FleetRateLimit> f, String description, String unit) {
    // a unit only where Prometheus' name keeps reading well (permits_total, wait_seconds_total)
    FunctionCounter.builder(name, l, f).tags(tags).description(description).baseUnit(unit)
        .register(registry);
  }
}
