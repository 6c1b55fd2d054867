package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.parallel.Guard;
import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The quick start proposed for README's perf-parallel-redis section, as it reads there. */
class ReadmeQuickStartTest {

  @Test
  void fleetRateLimitQuickStart() {
    var redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    String quota = "github-api-" + UUID.randomUUID();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // --- README
    try (FleetRateLimit github = FleetRateLimit.redis(uri, quota, 100, Duration.ofSeconds(1))
        .build()) {                               // <= 100 calls/s across every instance
      Guard api = Guard.named("github").rateLimiter(github.asRateLimiter()).build();
      Function<String, String> fetch = api.wrap(repo -> "fetched " + repo);
      github.metrics().bindTo(registry);          // perfkit.ratelimit.* {name=github-api}
      // ---
      assertThat(fetch.apply("perfkit")).isEqualTo("fetched perfkit");
      assertThat(github.mode()).isEqualTo(FleetRateLimit.Mode.SHARED);
      assertThat(registry.get("perfkit.ratelimit.permits").tag("result", "granted")
          .functionCounter().count()).isEqualTo(1.0);
    }
  }
}
