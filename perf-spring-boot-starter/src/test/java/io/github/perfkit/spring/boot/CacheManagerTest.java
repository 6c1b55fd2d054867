package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.cache.MemoizedFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.cache.CacheManager;

/**
 * The perfkit CacheManager behind {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} in a
 * real Boot application: specs per cache from properties, a cache made at run time with its meters,
 * {@code /actuator/caches} and {@code /actuator/metrics/cache.gets}.
 */
class CacheManagerTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  @Autowired CacheManager cacheManager;
  @Autowired StarterApp.Users users;

  @Test
  void cacheableHitsAndMissesThroughAPerfkitCache() {
    assertThat(cacheManager).isInstanceOf(PerfkitCacheManager.class);
    MemoizedFunction<Object, Object> memo =
        ((PerfkitCache) cacheManager.getCache("users")).getNativeCache();
    long hits = memo.stats().lifetime().hits();
    long misses = memo.stats().lifetime().misses();
    int before = users.calls();
    assertThat(users.name(1)).isEqualTo("user-1");
    assertThat(users.name(1)).isEqualTo("user-1");
    assertThat(users.nameSync(1)).isEqualTo("user-1");
    assertThat(users.nameSync(1)).isEqualTo("user-1");
    assertThat(users.calls() - before).isEqualTo(2);

    users.rename(1, "renamed");
    assertThat(users.name(1)).isEqualTo("renamed");
    users.forget(1);
    assertThat(users.name(1)).isEqualTo("user-1");
    assertThat(users.calls() - before).isEqualTo(3);

    assertThat(memo.name()).isEqualTo("users");
    // name(1) x4 (miss, hit, hit after the put, miss after the evict) and nameSync(1) x2 (miss, hit)
    assertThat(memo.stats().lifetime().hits() - hits).isEqualTo(3);
    assertThat(memo.stats().lifetime().misses() - misses).isEqualTo(3);
  }

  @Test
  void specsComeFromPropertiesPerCacheAndByDefault() {
    users.title(1);
    PerfkitCache books = (PerfkitCache) cacheManager.getCache("books");
    for (long id = 0; id < 100; id++) {
      users.title(id);
    }
    assertThat(eventuallyAtMost(books.getNativeCache(), 7)).isLessThanOrEqualTo(7);
    PerfkitCache usersCache = (PerfkitCache) cacheManager.getCache("users");
    for (long id = 0; id < 100; id++) {
      users.name(1000 + id);
    }
    assertThat(usersCache.getNativeCache().estimatedSize()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aCacheMadeAtRunTimeReportsInActuatorCachesAndMetrics() {
    users.title(42);
    users.title(42);
    String caches = http.getForObject("/actuator/caches", String.class);
    assertThat(caches).contains("\"cacheManager\"").contains("\"books\"")
        .contains("io.github.perfkit.cache.");
    String gets = http.getForObject(
        "/actuator/metrics/cache.gets?tag=cache:books&tag=result:hit", String.class);
    assertThat(gets).contains("\"cache.manager\"").contains("\"cacheManager\"")
        .containsPattern("\"value\":[1-9]");
    String scrape = http.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).contains("cache_gets_total{cache=\"books\",cache_manager=\"cacheManager\","
        + "name=\"books\",result=\"hit\"}");
  }

  /** Caffeine evicts on its executor, shortly after the writes: wait for it (generously). */
  private static long eventuallyAtMost(MemoizedFunction<Object, Object> memo, long size) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (memo.estimatedSize() > size && System.nanoTime() < deadline) {
      memo.getIfPresent(-1L); // reads drive Caffeine's maintenance
      Thread.yield();
    }
    return memo.estimatedSize();
  }
}
