package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.CacheRegistry;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.spring.boot.internal.CacheSpec;
import io.github.perfkit.spring.boot.internal.SpringCacheCodecs;
import io.github.perfkit.spring.boot.internal.TierFactory;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.core.env.Environment;

/**
 * The Redis tier of the starter's cache manager: one Lettuce client over Boot's
 * {@code spring.data.redis.*} settings, shared by every tiered cache (each has its own two
 * connections), closed with the application context. Thread-safe.
 */
final class RedisTierCaches implements TierFactory {

  /** Spec keys a Redis-tier cache honours: its near cache's size and time to live. */
  private static final Set<String> TIER_KEYS = Set.of("maximumSize", "expireAfterWrite");

  private final PerfkitCacheProperties.Redis settings;
  private final Set<String> exclude;
  private final ClientResources resources;
  private final RedisClient client;
  private final Supplier<MeterRegistry> meters;
  private final String managerName;
  private final List<TieredFunction<?, ?>> made = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisTierCaches(PerfkitCacheProperties.Redis settings, Environment environment,
      Supplier<MeterRegistry> meters, String managerName) {
    this.settings = settings;
    this.exclude = Set.copyOf(settings.getExclude());
    this.meters = meters;
    this.managerName = managerName;
    RedisTier.named("check").keyPrefix(settings.getKeyPrefix()) // fails at start-up, naming it
        .commandTimeout(settings.getCommandTimeout()).l2Ttl(settings.getTimeToLive());
    RedisURI uri = uri(environment);
    uri.setTimeout(settings.getCommandTimeout()); // the connect handshake too
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.getCommandTimeout()))
        .build());
  }

  /** Boot's connection settings: {@code spring.data.redis.url}, or host, port and the rest. */
  private static RedisURI uri(Environment env) {
    String url = env.getProperty("spring.data.redis.url");
    RedisURI uri;
    if (url != null && !url.isBlank()) {
      try {
        uri = RedisURI.create(url.trim());
      } catch (RuntimeException e) { // the message would repeat the URL, which may hold a password
        throw new IllegalArgumentException("spring.data.redis.url is not a Redis URL");
      }
    } else {
      RedisURI.Builder b = RedisURI.builder()
          .withHost(env.getProperty("spring.data.redis.host", "localhost"))
          .withPort(env.getProperty("spring.data.redis.port", Integer.class, 6379))
          .withDatabase(env.getProperty("spring.data.redis.database", Integer.class, 0))
          .withSsl(env.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false));
      String password = env.getProperty("spring.data.redis.password");
      String username = env.getProperty("spring.data.redis.username");
      if (password != null && !password.isEmpty()) {
        if (username != null && !username.isEmpty()) {
          b.withAuthentication(username, password.toCharArray());
        } else {
          b.withPassword(password.toCharArray());
        }
      }
      uri = b.build();
    }
    String clientName = env.getProperty("spring.data.redis.client-name");
    if (clientName != null && !clientName.isBlank()) {
      uri.setClientName(clientName);
    }
    return uri;
  }

  /**
   * The Redis side of a cache for {@code /actuator/perfkit}; call only when perf-cache-redis is on
   * the class path.
   *
   * @param cache a Spring cache
   * @return status and figures of its Redis tier, or null if it has none
   */
  static Map<String, Object> describe(Cache cache) {
    if (!(cache instanceof PerfkitRedisCache tiered)) {
      return null;
    }
    TieredFunction<Object, Object> tier = tiered.getNativeCache();
    io.github.perfkit.cache.redis.RedisStatus status = tier.redisStatus();
    io.github.perfkit.cache.redis.TierStats s = tier.stats();
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("state", status.state().name());
    m.put("reason", status.reason());
    m.put("l2Hits", s.l2Hits());
    m.put("l2Misses", s.l2Misses());
    m.put("l2Puts", s.l2Puts());
    m.put("fallbacks", s.fallbacks());
    m.put("invalidationsSent", s.invalidationsSent());
    m.put("invalidationsReceived", s.invalidationsReceived());
    m.put("invalidationsPending", s.invalidationsPending());
    return m;
  }

  @Override
  public boolean covers(String cacheName) {
    return !exclude.contains(cacheName);
  }

  @Override
  public void check(String property, CacheSpec spec) {
    for (String key : spec.settings().keySet()) {
      if (!TIER_KEYS.contains(key)) {
        throw new IllegalArgumentException(property + ": " + key + " is not supported on a "
            + "Redis-tier cache (only maximumSize and expireAfterWrite, the near cache's size and "
            + "time to live); keep the cache local with perfkit.cache.redis.exclude");
      }
    }
  }

  @Override
  public Cache create(String name, CacheSpec spec, boolean allowNullValues,
      CacheRegistry registry) {
    Map<String, String> s = spec.settings();
    long size = s.containsKey("maximumSize")
        ? Long.parseLong(s.get("maximumSize").replace("_", "")) : 10_000;
    Duration ttl = s.containsKey("expireAfterWrite")
        ? CacheSpec.parseDuration("expireAfterWrite", s.get("expireAfterWrite"))
        : Duration.ofMinutes(1);
    PerfkitRedisCache cache = new PerfkitRedisCache(name, allowNullValues, loader ->
        RedisTier.<Object, Object>named(name)
            .redis(client)
            .keyPrefix(settings.getKeyPrefix())
            .keys(SpringCacheCodecs.keys(name))
            .values(SpringCacheCodecs.values(name))
            .l1(size, ttl)
            .l2Ttl(settings.getTimeToLive())
            .commandTimeout(settings.getCommandTimeout())
            .build(loader));
    TieredFunction<Object, Object> tier = cache.getNativeCache();
    made.add(tier);
    registry.register(tier.l1());
    MeterRegistry registryOfMeters = meters.get();
    if (registryOfMeters != null) {
      tier.metrics().cacheManager(managerName).bindTo(registryOfMeters);
    }
    return cache;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (TieredFunction<?, ?> tier : made) {
      tier.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
