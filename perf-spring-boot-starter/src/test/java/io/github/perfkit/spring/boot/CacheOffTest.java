package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code perfkit.cache.enabled=false}: Boot's own cache manager serves {@code @Cacheable}. */
@SpringBootTest(classes = StarterApp.class, properties = "perfkit.cache.enabled=false")
class CacheOffTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.into(registry);
  }

  @Autowired CacheManager cacheManager;
  @Autowired StarterApp.Users users;

  @Test
  void bootsCaffeineCacheManagerServesCacheable() {
    assertThat(cacheManager).isInstanceOf(CaffeineCacheManager.class);
    int before = users.calls();
    users.name(5);
    users.name(5);
    assertThat(users.calls() - before).isEqualTo(1);
  }
}
