package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The twin of README's perf-cache quick start: if this stops compiling, the README is wrong. */
class ReadmeQuickStartTest {

  record User(long id) {}

  static final class UserService {
    User load(Long id) {
      return new User(id);
    }

    Map<Long, User> loadAll(Set<Long> ids) {
      Map<Long, User> users = new HashMap<>();
      ids.forEach(id -> users.put(id, new User(id)));
      return users;
    }
  }

  @Test
  void quickStartRuns() {
    UserService userService = new UserService();
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    CacheRegistry caches = new CacheRegistry();
    // --- README: Quick start: perf-cache ---
    MemoizedFunction<Long, User> users = Memoizer.named("users")
        .maximumSize(10_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .refreshAfterWrite(Duration.ofMinutes(1))        // serve stale, reload in the background
        .registry(caches)
        .build(userService::load, userService::loadAll);   // batch loader for getAll
    User user = users.apply(42L);                          // an ordinary java.util.function.Function
    Map<Long, User> some = users.getAll(List.of(1L, 2L, 3L)); // one loadAll call for the misses
    users.metrics().bindTo(meterRegistry); // cache.gets{cache="users",result="hit"}, as Caffeine's binder
    System.out.println(users.checkTarget().explanation()); // meets the 0.8 target? and why not
    System.out.print(caches.text());                        // every cache's figures at once
    // --- end ---
    assertThat(user.id()).isEqualTo(42L);
    assertThat(some).hasSize(3);
    assertThat(meterRegistry.get("cache.gets").tag("result", "miss").functionCounter().count())
        .isEqualTo(4);
  }
}
