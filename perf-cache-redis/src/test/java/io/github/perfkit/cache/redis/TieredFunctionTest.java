package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TieredFunctionTest {

  /** The documented bound on cross-instance invalidation (README); loopback is far faster. */
  static final Duration INVALIDATION_BOUND = Duration.ofSeconds(1);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static String loopbackUri() {
    var s = LoopbackServices.redis();
    return "redis://" + s.host() + ":" + s.port();
  }

  private static String uniqueName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private TieredFunction<Long, String> instance(String uri, String name,
      Function<Long, String> loader) {
    TieredFunction<Long, String> tier = RedisTier.<Long, String>named(name).redis(uri)
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .l1(1_000, Duration.ofMinutes(5)).l2Ttl(Duration.ofMinutes(5))
        .build(loader);
    open.add(tier);
    return tier;
  }

  @Test
  void twoInstancesShareTheSecondTier() {
    String uri = loopbackUri();
    String name = uniqueName("share");
    AtomicInteger loads = new AtomicInteger();
    Function<Long, String> loader = k -> {
      loads.incrementAndGet();
      return "v" + k;
    };
    TieredFunction<Long, String> a = instance(uri, name, loader);
    TieredFunction<Long, String> b = instance(uri, name, loader);
    assertThat(a.apply(1L)).isEqualTo("v1");
    assertThat(b.apply(1L)).isEqualTo("v1"); // from Redis, not the loader
    assertThat(b.apply(1L)).isEqualTo("v1"); // from b's L1
    assertThat(loads).hasValue(1);
    assertThat(a.stats().l2Puts()).isEqualTo(1);
    assertThat(b.stats().l2Hits()).isEqualTo(1);
    assertThat(b.l1().stats().lifetime().hits()).isEqualTo(1);
    assertThat(b.getAll(List.of(1L, 2L, 3L))).isEqualTo(Map.of(1L, "v1", 2L, "v2", 3L, "v3"));
    assertThat(a.getAll(List.of(2L, 3L))).containsEntry(3L, "v3");
    assertThat(loads).hasValue(3); // 2 and 3 loaded once, by b; a read them with one MGET
  }

  @Test
  void anInvalidationReachesTheOtherInstancesNearCacheWithinTheBound() throws Exception {
    String uri = loopbackUri();
    String name = uniqueName("inval");
    AtomicInteger version = new AtomicInteger(1);
    Function<Long, String> loader = k -> "v" + k + "@" + version.get();
    TieredFunction<Long, String> a = instance(uri, name, loader);
    TieredFunction<Long, String> b = instance(uri, name, loader);
    assertThat(a.apply(7L)).isEqualTo("v7@1");
    assertThat(b.apply(7L)).isEqualTo("v7@1");
    assertThat(b.l1().getIfPresent(7L)).isEqualTo("v7@1");

    version.set(2);
    long start = System.nanoTime();
    a.invalidate(7L);
    long deadline = start + INVALIDATION_BOUND.toNanos();
    while (b.l1().getIfPresent(7L) != null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long took = System.nanoTime() - start;
    assertThat(b.l1().getIfPresent(7L)).as("b's L1 after %d us", took / 1_000).isNull();
    assertThat(b.apply(7L)).isEqualTo("v7@2");
    assertThat(a.stats().invalidationsSent()).isEqualTo(1);
    assertThat(b.stats().invalidationsReceived()).isEqualTo(1);

    a.apply(8L);
    b.apply(8L);
    b.invalidateAll();
    deadline = System.nanoTime() + INVALIDATION_BOUND.toNanos();
    while (a.l1().estimatedSize() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
      a.l1().stats(); // let Caffeine run its maintenance
    }
    assertThat(a.l1().getIfPresent(8L)).isNull();
  }

  @Test
  void redisStoppedMidRunNeverReachesCallersAndTheTierComesBack() throws Exception {
    try (OwnRedisServer redis = OwnRedisServer.start()) {
      String name = uniqueName("outage");
      AtomicInteger loads = new AtomicInteger();
      Function<Long, String> loader = k -> {
        loads.incrementAndGet();
        return "v" + k;
      };
      TieredFunction<Long, String> a = instance(redis.uri(), name, loader);
      TieredFunction<Long, String> b = instance(redis.uri(), name, loader);
      int exceptions = 0;
      int wrong = 0;
      for (long k = 0; k < 50; k++) {
        wrong += a.apply(k).equals("v" + k) ? 0 : 1;
      }
      redis.stop();
      for (long k = 0; k < 200; k++) { // 50..199 are new: L1 + loader only
        try {
          wrong += a.apply(k).equals("v" + k) ? 0 : 1;
          wrong += b.apply(k).equals("v" + k) ? 0 : 1;
        } catch (RuntimeException e) {
          exceptions++;
        }
      }
      assertThat(exceptions).isZero();
      assertThat(wrong).isZero();
      assertThat(a.stats().fallbacks() + b.stats().fallbacks()).isPositive();

      redis.startAgain(); // an empty Redis on the same port
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long l2HitsBefore = b.stats().l2Hits();
      long k = 1_000;
      while (System.nanoTime() < deadline) {
        a.apply(k);                 // a loads and writes through to Redis (once it is back)
        b.apply(k);                 // b should then find it in Redis
        if (b.stats().l2Hits() > l2HitsBefore) {
          break;
        }
        k++;
        Thread.sleep(50);
      }
      assertThat(b.stats().l2Hits()).as("b reads Redis again after the restart")
          .isGreaterThan(l2HitsBefore);
      // invalidations may have been lost while Redis was down: both near caches were cleared
      assertThat(a.stats().l1Clears()).isPositive();
      assertThat(b.stats().l1Clears()).isPositive();
    }
  }

  @Test
  void startupDoesNotFailWhenRedisIsDownAndTheTierJoinsWhenItStarts() throws Exception {
    try (OwnRedisServer redis = OwnRedisServer.notStarted()) {
      String name = uniqueName("late");
      TieredFunction<Long, String> a = instance(redis.uri(), name, k -> "v" + k);
      assertThat(a.apply(1L)).isEqualTo("v1");
      assertThat(a.redisAvailable()).isFalse();
      redis.startAgain();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!a.redisAvailable() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(a.redisAvailable()).isTrue();
      assertThat(a.apply(2L)).isEqualTo("v2");
      assertThat(a.stats().l2Puts()).isPositive();
    }
  }

  @Test
  void distributedSingleFlightMakesEightInstancesLoadOnce() throws Exception {
    String uri = loopbackUri();
    String name = uniqueName("flight");
    AtomicInteger loads = new AtomicInteger();
    List<TieredFunction<Long, String>> fleet = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TieredFunction<Long, String> tier = RedisTier.<Long, String>named(name).redis(uri)
          .keys(KeyCodec.longs()).values(ValueCodec.strings())
          .singleFlight(Duration.ofSeconds(10))
          .build(k -> {
            loads.incrementAndGet();
            try {
              Thread.sleep(300); // a slow load: the others must wait for it, not repeat it
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return "v" + k;
          });
      open.add(tier);
      fleet.add(tier);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) { // two callers per instance
        TieredFunction<Long, String> tier = fleet.get(i % 8);
        results.add(pool.submit(() -> {
          go.await();
          return tier.apply(42L);
        }));
      }
      go.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("v42");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    assertThat(fleet.stream().mapToLong(t -> t.stats().singleFlightWaits()).sum()).isEqualTo(7);
  }

  @Test
  void oversizeValuesStayInTheNearCacheOnly() {
    String name = uniqueName("big");
    TieredFunction<Long, String> a = RedisTier.<Long, String>named(name).redis(loopbackUri())
        .keys(KeyCodec.longs()).values(ValueCodec.strings()).maxValueBytes(100)
        .build(k -> "x".repeat((int) (long) k));
    open.add(a);
    assertThat(a.apply(10L)).hasSize(10);
    assertThat(a.apply(1_000L)).hasSize(1_000);
    assertThat(a.stats().l2Puts()).isEqualTo(1);
    assertThat(a.stats().oversize()).isEqualTo(1);
  }

  @Test
  void metricsShowTheL1UnderTheStandardCacheNamesAndRedisUnderPerfkitNames() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String name = uniqueName("meters");
    TieredFunction<Long, String> a = RedisTier.<Long, String>named(name).redis(loopbackUri())
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .build(k -> "v" + k);
    open.add(a);
    a.metrics().tags("service", "test").bindTo(registry);
    a.apply(987_654_321L);
    a.apply(987_654_321L);
    assertThat(registry.get("cache.gets").tags("cache", name, "result", "hit", "service", "test")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("perfkit.cache.l2.gets").tags("cache", name, "result", "miss")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("perfkit.cache.l2.puts").tags("cache", name).functionCounter()
        .count()).isEqualTo(1);
    assertThat(registry.get("perfkit.cache.tier.fallbacks").tags("cache", name).functionCounter()
        .count()).isZero();
    assertThat(registry.get("perfkit.cache.invalidations").tags("direction", "sent")
        .functionCounter()).isNotNull();
    assertThat(registry.find("cache.gets").tagKeys("tier").meters()).isEmpty();
    registry.getMeters().forEach(m -> m.getId().getTags().forEach(t ->
        assertThat(t.getValue()).as("no key in tag %s", t).doesNotContain("987654321")));
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> RedisTier.named(null)).hasMessageContaining("name");
    assertThatThrownBy(() -> RedisTier.named("a b")).hasMessageContaining("name");
    assertThatThrownBy(() -> RedisTier.named("x").l1(-1, Duration.ofSeconds(1)))
        .hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> RedisTier.named("x").l2Ttl(Duration.ZERO))
        .hasMessageContaining("l2Ttl");
    assertThatThrownBy(() -> RedisTier.named("x").singleFlight(Duration.ofSeconds(-1)))
        .hasMessageContaining("lockTtl");
    assertThatThrownBy(() -> RedisTier.named("x").maxValueBytes(0))
        .hasMessageContaining("maxValueBytes");
    assertThatThrownBy(() -> RedisTier.named("x").maxPendingInvalidations(0))
        .hasMessage("maxPendingInvalidations must be positive but was 0");
    assertThatThrownBy(() -> RedisTier.<Long, String>named("x").keys(KeyCodec.longs())
        .values(ValueCodec.strings()).build(k -> "v")).hasMessageContaining("redis");
  }
}
