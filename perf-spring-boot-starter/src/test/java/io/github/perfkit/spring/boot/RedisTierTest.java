package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.cache.redis.RedisStatus;
import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.testkit.LoopbackServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;

/**
 * Redis-tier caches from the starter's manager, on the real Redis: two application contexts (two
 * instances of one service) share values through Redis, and {@code @CacheEvict} / {@code @CachePut}
 * in one is seen by the other. Each test has a key prefix of its own and deletes its keys after.
 */
class RedisTierTest {

  /** A service with a shared cache and a local one. */
  @SpringBootConfiguration
  @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
  @EnableCaching
  @Import(Lookups.class)
  static class App {}

  /** Cached lookups; {@link #calls} counts the method bodies that ran in this instance. */
  @Service
  static class Lookups {
    private final AtomicInteger calls = new AtomicInteger();

    /** @return how many method bodies ran (a method: the bean is a proxy) */
    public int calls() {
      return calls.get();
    }

    @Cacheable("shared")
    public String name(long id) {
      calls.incrementAndGet();
      return "name-" + id + "-" + UUID.randomUUID(); // which instance loaded it shows
    }

    @Cacheable(cacheNames = "shared", key = "'sync-' + #p0", sync = true)
    public String nameSync(long id) {
      calls.incrementAndGet();
      return "sync-" + id + "-" + UUID.randomUUID();
    }

    @CacheEvict(cacheNames = "shared", key = "#p0")
    public void forget(long id) {}

    @CachePut(cacheNames = "shared", key = "#p0")
    public String rename(long id, String name) {
      return name;
    }

    @Cacheable("local") // excluded from the Redis tier
    public String local(long id) {
      calls.incrementAndGet();
      return "local-" + id + "-" + UUID.randomUUID();
    }
  }

  private final String prefix = "perfkit-test:" + UUID.randomUUID() + ":";
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
  private RedisClient admin;
  private StatefulRedisConnection<String, String> redis;

  @BeforeEach
  void connect() {
    LoopbackServices.Service r = LoopbackServices.redis();
    admin = RedisClient.create("redis://" + r.host() + ":" + r.port());
    redis = admin.connect();
  }

  @AfterEach
  void cleanUp() {
    contexts.forEach(ConfigurableApplicationContext::close);
    if (redis == null) {
      return; // Redis was absent and the test skipped (it fails under PERFKIT_REQUIRE_SERVICES)
    }
    List<String> keys = keys();
    if (!keys.isEmpty()) {
      redis.sync().unlink(keys.toArray(new String[0])); // this test's keys only; never FLUSHALL
    }
    redis.close();
    admin.shutdown();
  }

  private ConfigurableApplicationContext start(String... more) {
    LoopbackServices.Service r = LoopbackServices.redis();
    List<String> props = new ArrayList<>(List.of(
        "spring.data.redis.host=" + r.host(),
        "spring.data.redis.port=" + r.port(),
        "perfkit.cache.redis.enabled=true",
        "perfkit.cache.redis.key-prefix=" + prefix,
        "perfkit.cache.redis.exclude=local",
        // a loaded CI machine: 250 ms can pass before Redis answers, and the call falls back
        "perfkit.cache.redis.command-timeout=5s",
        "management.endpoints.web.exposure.include=perfkit",
        "perfkit.cache.specs.shared=maximumSize=1000,expireAfterWrite=10m"));
    props.addAll(List.of(more));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE).properties(props.toArray(new String[0])).run();
    contexts.add(context);
    return context;
  }

  private List<String> keys() {
    List<String> out = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(500);
    KeyScanCursor<String> cursor = redis.sync().scan(args);
    while (true) {
      out.addAll(cursor.getKeys());
      if (cursor.isFinished()) {
        return out;
      }
      cursor = redis.sync().scan(ScanCursor.of(cursor.getCursor()), args);
    }
  }

  @SuppressWarnings("unchecked")
  private static TieredFunction<Object, Object> tier(ConfigurableApplicationContext context) {
    return ((PerfkitRedisCache) context.getBean(CacheManager.class).getCache("shared"))
        .getNativeCache();
  }

  /** A tier connects in the background once made: wait (generously) until it is up. */
  private static void awaitUp(TieredFunction<Object, Object> tier) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!tier.redisAvailable() && System.nanoTime() < deadline) {
      Thread.sleep(1); // a loaded machine: let the other threads run
    }
    assertThat(tier.redisStatus().state()).as(tier.redisStatus().toString())
        .isEqualTo(RedisStatus.State.UP);
  }

  /** Waits (generously) until the invalidation message has dropped the key from this L1. */
  private static void awaitDropped(TieredFunction<Object, Object> tier, Object key)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tier.l1().getIfPresent(key) != null && System.nanoTime() < deadline) {
      Thread.sleep(1); // a loaded machine: let the other threads run
    }
    assertThat(tier.l1().getIfPresent(key)).as("dropped from the other instance's L1").isNull();
  }

  @Test
  void twoInstancesShareValuesAndEvictionsThroughRedis() throws Exception {
    ConfigurableApplicationContext a = start();
    ConfigurableApplicationContext b = start();
    Lookups la = a.getBean(Lookups.class);
    Lookups lb = b.getBean(Lookups.class);
    awaitUp(tier(a));
    awaitUp(tier(b));

    String first = la.name(1);
    assertThat(lb.name(1)).as("b is served what a loaded, from Redis").isEqualTo(first);
    assertThat(la.calls()).isEqualTo(1);
    assertThat(lb.calls()).isZero();
    assertThat(tier(b).stats().l2Hits()).isEqualTo(1);
    assertThat(keys()).as("the value lives under the prefix").contains(prefix + "shared:v:l:1");

    String sync = la.nameSync(2);
    assertThat(lb.nameSync(2)).isEqualTo(sync);
    assertThat(lb.calls()).isZero();

    la.forget(1); // @CacheEvict in a
    awaitDropped(tier(b), 1L);
    String reloaded = lb.name(1);
    assertThat(reloaded).as("b loads again after a's evict").isNotEqualTo(first);
    assertThat(lb.calls()).isEqualTo(1);
    assertThat(la.name(1)).as("a's next call gets b's new value from Redis").isEqualTo(reloaded);

    la.rename(1, "renamed"); // @CachePut in a
    awaitDropped(tier(b), 1L);
    assertThat(lb.name(1)).isEqualTo("renamed");
    assertThat(la.name(1)).isEqualTo("renamed");
    assertThat(lb.calls()).isEqualTo(1);
    // a put is an invalidation and a store, and Spring puts after each miss without sync: a sent
    // three (its first name(1), the evict, the put) and b one (its reload); sync misses send none
    assertThat(tier(a).stats().invalidationsSent()).isEqualTo(3);
    assertThat(tier(b).stats().invalidationsSent()).isEqualTo(1);
    // the evict's and the put's for sure (awaited above); the first may have come before b had
    // subscribed
    assertThat(tier(b).stats().invalidationsReceived()).isBetween(2L, 3L);
  }

  @Test
  void anExcludedCacheStaysLocalAndTieredCachesReport() throws Exception {
    ConfigurableApplicationContext a = start();
    ConfigurableApplicationContext b = start();
    Lookups la = a.getBean(Lookups.class);
    Lookups lb = b.getBean(Lookups.class);
    CacheManager manager = a.getBean(CacheManager.class);
    awaitUp(tier(a));
    la.local(5);
    lb.local(5);
    assertThat(la.calls() + lb.calls()).as("each instance loads its own").isEqualTo(2);
    assertThat(manager.getCache("local")).isInstanceOf(PerfkitCache.class);
    assertThat(keys()).noneMatch(k -> k.contains(":local:"));

    la.name(7);
    la.name(7);
    PerfkitCacheManager perfkit = (PerfkitCacheManager) manager;
    assertThat(perfkit.caches()).extracting(c -> c.name()).contains("shared", "local");
    io.micrometer.core.instrument.MeterRegistry meters =
        a.getBean(io.micrometer.core.instrument.MeterRegistry.class);
    // the miss, then the put's store reads Redis again (the price of a miss without sync)
    assertThat(meters.get("perfkit.cache.l2.gets").tag("cache", "shared").tag("result", "miss")
        .functionCounter().count()).isEqualTo(2.0);
    assertThat(meters.get("perfkit.cache.l2.puts").tag("cache", "shared")
        .functionCounter().count()).isEqualTo(1.0);
    assertThat(meters.get("cache.gets").tag("cache", "shared").tag("result", "hit")
        .functionCounter().count()).isEqualTo(1.0);

    // /actuator/perfkit: the tiered cache's near-cache figures with its Redis side; the local
    // cache without one
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> caches =
        (List<Map<String, Object>>) a.getBean(PerfkitEndpoint.class).perfkit().get("caches");
    Map<String, Object> shared = caches.stream().filter(c -> c.get("name").equals("shared"))
        .findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> redisSide = (Map<String, Object>) shared.get("redis");
    assertThat(redisSide).containsEntry("state", "UP").containsEntry("l2Puts", 1L)
        .containsEntry("l2Misses", 2L);
    assertThat(caches.stream().filter(c -> c.get("name").equals("local")).findFirst()
        .orElseThrow()).doesNotContainKey("redis");
  }

  @Test
  void aSpecATieredCacheCannotHonourFailsAtStartUp() {
    assertThatThrownBy(() -> start("perfkit.cache.specs.other=refreshAfterWrite=1m"))
        .rootCause().hasMessageContaining("perfkit.cache.specs.other: refreshAfterWrite is not "
            + "supported on a Redis-tier cache");
  }
}
