package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.parallel.Guard;
import io.github.perfkit.testkit.LoopbackServices;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Exact counts on the loopback Redis with a limit that refills too slowly to matter (10 per hour):
 * limits of the same name share one bucket, limits of different names do not, batches serve many
 * permits per round trip, and a Guard uses the limit through {@link FleetRateLimit#asRateLimiter()}.
 */
class SharedBucketTest {

  private static String uri() {
    var redis = LoopbackServices.redis();
    return "redis://" + redis.host() + ":" + redis.port();
  }

  @Test
  void twoInstancesOfOneNameShareTheBurstExactly() {
    String name = "shared-" + UUID.randomUUID();
    try (FleetRateLimit a = FleetRateLimit.redis(uri(), name, 10, Duration.ofHours(1))
            .maxWait(Duration.ZERO).build();
        FleetRateLimit b = FleetRateLimit.redis(uri(), name, 10, Duration.ofHours(1))
            .maxWait(Duration.ZERO).build();
        FleetRateLimit other = FleetRateLimit.redis(uri(), name + "-other", 10,
            Duration.ofHours(1)).maxWait(Duration.ZERO).build()) {
      assertThat(a.mode()).isEqualTo(FleetRateLimit.Mode.SHARED);
      int granted = 0;
      for (int i = 0; i < 20; i++) {
        granted += (a.tryAcquire() ? 1 : 0) + (b.tryAcquire() ? 1 : 0);
      }
      assertThat(granted).isEqualTo(10);
      assertThat(a.stats().granted() + b.stats().granted()).isEqualTo(10);
      assertThat(a.stats().rejected() + b.stats().rejected()).isEqualTo(30);
      assertThat(a.liveInstances()).isBetween(1, 2);
      int others = 0;
      for (int i = 0; i < 20; i++) {
        others += other.tryAcquire() ? 1 : 0;
      }
      assertThat(others).isEqualTo(10);
    }
  }

  @Test
  void aBatchServesManyPermitsPerRoundTrip() {
    try (FleetRateLimit limit = FleetRateLimit.redis(uri(), "batch-" + UUID.randomUUID(),
        1_000, Duration.ofHours(1)).maxBatch(100).maxWait(Duration.ZERO).build()) {
      long before = limit.stats().redisRoundTrips();
      int granted = 0;
      for (int i = 0; i < 1_000; i++) {
        granted += limit.tryAcquire() ? 1 : 0;
      }
      long trips = limit.stats().redisRoundTrips() - before;
      System.out.printf("1,000 permits in %d round trips%n", trips);
      assertThat(granted).isEqualTo(1_000);
      // batches grow with demand up to 100: far fewer trips than permits (heartbeats included)
      assertThat(trips).isLessThan(100);
    }
  }

  @Test
  void aGuardTakesItsPermitsFromTheFleet() {
    String name = "guard-" + UUID.randomUUID();
    try (FleetRateLimit fleet = FleetRateLimit.redis(uri(), name, 5, Duration.ofHours(1))
        .maxWait(Duration.ZERO).build()) {
      Guard guard = Guard.named("api").rateLimiter(fleet.asRateLimiter()).build();
      Function<Integer, Integer> call = guard.wrap((Integer i) -> i + 1);
      for (int i = 0; i < 5; i++) {
        assertThat(call.apply(i)).isEqualTo(i + 1);
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> call.apply(5))
          .isInstanceOf(RequestNotPermitted.class).hasMessageContaining(name);
      assertThat(fleet.stats().granted()).isEqualTo(5);
      assertThat(fleet.stats().rejected()).isEqualTo(1);
      assertThat(fleet.asRateLimiter().getRateLimiterConfig().getLimitForPeriod()).isEqualTo(5);
    }
  }

  @Test
  void startsLocalWhenRedisIsDownAndServesOnlyItsShare() throws Exception {
    try (FleetRateLimit limit = FleetRateLimit.redis("redis://127.0.0.1:"
            + OwnRedisServer.sparePort(), "down-" + UUID.randomUUID(), 10, Duration.ofHours(1))
        .assumedInstances(2).maxWait(Duration.ZERO).build()) {
      assertThat(limit.mode()).isEqualTo(FleetRateLimit.Mode.LOCAL);
      assertThat(limit.liveInstances()).isEqualTo(2);
      // the local share starts empty: one permit now, the next one its interval (12 min) later
      assertThat(limit.tryAcquire()).isTrue();
      assertThat(limit.tryAcquire()).isFalse();
      assertThat(limit.stats().fallbacks()).isEqualTo(1);
    }
  }
}
