package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.CacheRegistry;
import io.github.perfkit.cache.MemoizedCache;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.spring.boot.internal.CacheSpec;
import io.github.perfkit.spring.boot.internal.TierFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are perfkit memoized caches ({@link PerfkitCache}),
 * each with its own spec: the spec named after the cache, or the default spec. Caches are created
 * on demand, on the first use of a name, and each new cache's meters ({@code cache.gets},
 * {@code cache.puts}, ..., {@code perfkit.cache.hit.ratio}, tags {@code cache}, {@code name} and
 * {@code cache.manager}) are bound when it is created, so caches made at run time report too.
 *
 * <p>The starter makes one (bean {@code cacheManager}) from {@code perfkit.cache.*}; by hand:
 * <pre>{@code
 * PerfkitCacheManager caches = new PerfkitCacheManager("cacheManager",
 *     Map.of("users", "maximumSize=10000,expireAfterWrite=10m"), "maximumSize=1000", true,
 *     cache -> cache.metrics().cacheManager("cacheManager").bindTo(registry));
 * }</pre>
 *
 * <p>With {@code perfkit.cache.redis.enabled=true} and perf-cache-redis on the class path, the
 * starter's manager makes {@link PerfkitRedisCache}s instead (a near cache and Redis), except for
 * the caches named in {@code perfkit.cache.redis.exclude}. Closing the manager (the application
 * context does) closes their Redis connections.
 *
 * <p>Thread-safe: concurrent first uses of one name create one cache. Creating a cache costs one
 * Caffeine cache and its meters; looking one up costs a {@code ConcurrentHashMap} read.
 */
public final class PerfkitCacheManager implements CacheManager, AutoCloseable {

  private final String managerName;
  private final Map<String, CacheSpec> specs;
  private final CacheSpec defaultSpec;
  private final boolean allowNullValues;
  private final Consumer<MemoizedCache> onCreate;
  private final CacheRegistry registry = new CacheRegistry();
  private final ConcurrentHashMap<String, Cache> caches = new ConcurrentHashMap<>();
  private final TierFactory tiers; // null: every cache is local

  /**
   * Creates a manager. Every spec is parsed here, so a bad one fails at start-up.
   *
   * @param managerName the manager's name, the {@code cache.manager} tag (Boot uses the bean name)
   * @param specs spec by cache name ({@code maximumSize=10000,expireAfterWrite=10m})
   * @param defaultSpec the spec of caches without their own; null or blank for none
   * @param allowNullValues whether a null result is cached (as Spring's own managers do by default)
   * @param onCreate called once with each new cache, such as to bind its meters
   * @throws NullPointerException if {@code managerName}, {@code specs} or {@code onCreate} is null
   * @throws IllegalArgumentException on a bad spec, naming the property and the setting
   */
  public PerfkitCacheManager(String managerName, Map<String, String> specs, String defaultSpec,
      boolean allowNullValues, Consumer<MemoizedCache> onCreate) {
    this(managerName, specs, defaultSpec, allowNullValues, onCreate, null);
  }

  /** As the public constructor; {@code tiers} makes the Redis-tier caches (null: none). */
  PerfkitCacheManager(String managerName, Map<String, String> specs, String defaultSpec,
      boolean allowNullValues, Consumer<MemoizedCache> onCreate, TierFactory tiers) {
    this.managerName = Require.notBlank(managerName, "managerName");
    Require.notNull(specs, "specs");
    this.onCreate = Require.notNull(onCreate, "onCreate");
    Map<String, CacheSpec> parsed = new LinkedHashMap<>();
    specs.forEach((name, spec) -> parsed.put(name,
        CacheSpec.parse("perfkit.cache.specs." + name, spec)));
    this.specs = Collections.unmodifiableMap(parsed);
    this.defaultSpec = CacheSpec.parse("perfkit.cache.default-spec", defaultSpec);
    this.allowNullValues = allowNullValues;
    this.tiers = tiers;
    if (tiers != null) { // a spec a tiered cache cannot honour fails at start-up, not at first use
      this.specs.forEach((name, spec) -> {
        if (tiers.covers(name)) {
          tiers.check("perfkit.cache.specs." + name, spec);
        }
      });
      tiers.check("perfkit.cache.default-spec", this.defaultSpec);
    }
  }

  /**
   * A manager that binds each new cache's meters to {@code meterRegistry}.
   *
   * @param managerName the manager's name, the {@code cache.manager} tag
   * @param specs spec by cache name
   * @param defaultSpec the spec of caches without their own
   * @param meterRegistry where the meters go
   * @return the manager
   */
  public static PerfkitCacheManager withMetrics(String managerName, Map<String, String> specs,
      String defaultSpec, MeterRegistry meterRegistry) {
    Require.notNull(meterRegistry, "meterRegistry");
    return new PerfkitCacheManager(managerName, specs, defaultSpec, true,
        cache -> cache.metrics().cacheManager(managerName).bindTo(meterRegistry));
  }

  @Override
  public Cache getCache(String name) {
    Cache cache = caches.get(name);
    return cache != null ? cache : caches.computeIfAbsent(name, this::create);
  }

  private Cache create(String name) {
    Require.notBlank(name, "name");
    String property = specs.containsKey(name) ? "perfkit.cache.specs." + name
        : "perfkit.cache.default-spec";
    CacheSpec spec = specs.getOrDefault(name, defaultSpec);
    if (tiers != null && tiers.covers(name)) {
      return tiers.create(name, spec, allowNullValues, registry);
    }
    PerfkitCache cache = new PerfkitCache(name, allowNullValues, loader ->
        spec.applyTo(Memoizer.named(name), property).registry(registry)
            // on the caller's thread: a put is stored when put returns (see PerfkitCache#put)
            .executor(Runnable::run).build(loader));
    onCreate.accept(cache.getNativeCache());
    return cache;
  }

  @Override
  public Collection<String> getCacheNames() {
    return Collections.unmodifiableSet(caches.keySet());
  }

  /** @return the manager's name, the {@code cache.manager} tag of its meters */
  public String name() {
    return managerName;
  }

  /**
   * @return the perfkit caches made so far, in creation order, with their figures (of a
   *     Redis-tier cache: its near cache)
   */
  public List<MemoizedCache> caches() {
    return registry.caches();
  }

  /** The cache of that name if it was made, without making it; for the endpoint. */
  Cache existing(String name) {
    return caches.get(name);
  }

  /** @return the spec names configured (their caches may not exist yet) */
  public Collection<String> configuredNames() {
    return specs.keySet();
  }

  /**
   * Closes the Redis connections of the Redis-tier caches, if any (their invalidations still
   * waiting get one last try). Idempotent; the application context calls it on shutdown.
   */
  @Override
  public void close() {
    if (tiers != null) {
      tiers.close();
    }
  }
}
