package io.github.perfkit.compat.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.spring.boot.PerfkitRedisCache;
import io.github.perfkit.testkit.LoopbackServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;

/**
 * The starter's Redis tier on Spring Boot 4.0 and the real Redis: two contexts share a value and
 * an evict (the Boot 3.5 twin: the starter's RedisTierTest). Its own key prefix; its keys deleted.
 */
class Boot4RedisTierTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
  @EnableCaching
  @Import(Lookups.class)
  static class App {}

  @Service
  static class Lookups {
    private final AtomicInteger calls = new AtomicInteger();

    public int calls() {
      return calls.get();
    }

    @Cacheable(cacheNames = "shared", sync = true)
    public String name(long id) {
      calls.incrementAndGet();
      return "name-" + id + "-" + UUID.randomUUID();
    }

    @CacheEvict("shared")
    public void forget(long id) {}
  }

  private final String prefix = "perfkit-test:" + UUID.randomUUID() + ":";
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  private ConfigurableApplicationContext start() {
    LoopbackServices.Service r = LoopbackServices.redis();
    ConfigurableApplicationContext c = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE).properties(
            "spring.data.redis.host=" + r.host(), "spring.data.redis.port=" + r.port(),
            "perfkit.cache.redis.enabled=true", "perfkit.cache.redis.key-prefix=" + prefix,
            // a loaded CI machine: 250 ms can pass before Redis answers, and the call falls back
            "perfkit.cache.redis.command-timeout=5s")
        .run();
    contexts.add(c);
    return c;
  }

  @AfterEach
  void cleanUp() {
    contexts.forEach(ConfigurableApplicationContext::close);
    LoopbackServices.Service r = LoopbackServices.redis();
    RedisClient admin = RedisClient.create("redis://" + r.host() + ":" + r.port());
    try (StatefulRedisConnection<String, String> redis = admin.connect()) {
      List<String> keys = redis.sync().scan(ScanArgs.Builder.matches(prefix + "*").limit(1000))
          .getKeys();
      if (!keys.isEmpty()) {
        redis.sync().unlink(keys.toArray(new String[0])); // this test's keys only
      }
    } finally {
      admin.shutdown();
    }
  }

  @SuppressWarnings("unchecked")
  private static TieredFunction<Object, Object> tier(ConfigurableApplicationContext c) {
    return ((PerfkitRedisCache) c.getBean(CacheManager.class).getCache("shared")).getNativeCache();
  }

  /** A tier connects in the background once made: wait (generously) until it is up. */
  private static void awaitUp(TieredFunction<Object, Object> tier) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!tier.redisAvailable() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(tier.redisStatus().state()).as(tier.redisStatus().toString())
        .isEqualTo(io.github.perfkit.cache.redis.RedisStatus.State.UP);
  }

  @Test
  void twoInstancesShareAValueAndAnEvict() throws Exception {
    assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
    ConfigurableApplicationContext a = start();
    ConfigurableApplicationContext b = start();
    awaitUp(tier(a));
    awaitUp(tier(b));
    Lookups la = a.getBean(Lookups.class);
    Lookups lb = b.getBean(Lookups.class);
    String first = la.name(1);
    assertThat(lb.name(1)).isEqualTo(first);
    assertThat(lb.calls()).isZero();
    la.forget(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tier(b).l1().getIfPresent(1L) != null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(lb.name(1)).isNotEqualTo(first);
    assertThat(lb.calls()).isEqualTo(1);
  }
}
