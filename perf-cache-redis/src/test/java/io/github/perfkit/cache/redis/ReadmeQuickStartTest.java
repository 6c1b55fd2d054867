package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The twin of README's perf-cache-redis quick start, with two instances sharing one Redis. */
class ReadmeQuickStartTest {

  static final class UserService {
    final AtomicInteger loads = new AtomicInteger();

    String name(Long id) {
      loads.incrementAndGet();
      return "user-" + id;
    }
  }

  private static TieredFunction<Long, String> instance(String cacheName, UserService userService,
      SimpleMeterRegistry meterRegistry) {
    var redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    // --- README: Quick start: perf-cache-redis ---
    TieredFunction<Long, String> users = RedisTier.<Long, String>named(cacheName)
        .redis(uri)
        .keys(KeyCodec.longs())
        .values(ValueCodec.strings())              // or ValueCodec.java() for Serializable values
        .l1(10_000, Duration.ofMinutes(1))         // near cache: size and time to live
        .l2Ttl(Duration.ofMinutes(30))             // Redis time to live
        .singleFlight(Duration.ofSeconds(5))       // N instances missing a key: one load
        .build(userService::name);                 // an ordinary Function<Long, String>
    users.metrics().bindTo(meterRegistry);         // cache.* for L1, perfkit.cache.l2.* for Redis
    // --- end ---
    return users;
  }

  @Test
  void twoInstancesShareOneRedis() throws Exception {
    String cacheName = "users-" + UUID.randomUUID().toString().substring(0, 8);
    UserService userService = new UserService();
    try (TieredFunction<Long, String> a = instance(cacheName, userService,
            new SimpleMeterRegistry());
        TieredFunction<Long, String> b = instance(cacheName, userService,
            new SimpleMeterRegistry())) {
      String name = a.apply(42L);                    // instance A loads
      assertThat(b.apply(42L)).isEqualTo(name);      // instance B finds it in Redis
      assertThat(userService.loads).hasValue(1);
      a.invalidate(42L);                             // Redis and every instance's L1
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (b.l1().getIfPresent(42L) != null && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(b.l1().getIfPresent(42L)).isNull();
    }
  }
}
