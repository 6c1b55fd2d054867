package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The builder contract (issue 14 item 2) for {@link FleetRateLimit.Builder}. */
class BuilderContractTest {

  private static FleetRateLimit.Builder builder() throws IOException {
    // nothing listens there: build() starts local at once, no server needed
    return FleetRateLimit.redis("redis://127.0.0.1:" + OwnRedisServer.sparePort(),
        "contract-" + UUID.randomUUID(), 100, Duration.ofSeconds(1));
  }

  @Test
  void eachSettingMayBeSetOnce() throws Exception {
    check("burst", b -> b.burst(10));
    check("maxWait", b -> b.maxWait(Duration.ofSeconds(1)));
    check("redisTimeout", b -> b.redisTimeout(Duration.ofMillis(100)));
    check("heartbeat", b -> b.heartbeat(Duration.ofSeconds(2)));
    check("maxBatch", b -> b.maxBatch(5));
    check("assumedInstances", b -> b.assumedInstances(3));
  }

  private static void check(String setting, Consumer<FleetRateLimit.Builder> set)
      throws Exception {
    FleetRateLimit.Builder b = builder();
    set.accept(b);
    assertThatThrownBy(() -> set.accept(b)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(setting);
  }

  @Test
  void badArgumentsNameTheParameter() throws Exception {
    FleetRateLimit.Builder b = builder();
    assertThatThrownBy(() -> b.burst(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("burst must be positive but was 0");
    assertThatThrownBy(() -> b.maxWait(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxWait must not be negative");
    assertThatThrownBy(() -> b.redisTimeout(Duration.ZERO))
        .hasMessageContaining("redisTimeout must be positive");
    assertThatThrownBy(() -> b.heartbeat(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("heartbeat must not be null");
    assertThatThrownBy(() -> b.maxBatch(-3)).hasMessage("maxBatch must be positive but was -3");
    assertThatThrownBy(() -> b.assumedInstances(0))
        .hasMessage("assumedInstances must be positive but was 0");
  }

  @Test
  void aBatchLargerThanTheBurstIsRefusedByBuild() throws Exception {
    FleetRateLimit.Builder b = builder().burst(5).maxBatch(6);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxBatch (6) must not exceed burst (5)");
  }

  @Test
  void buildTwiceGivesIndependentLimits() throws Exception {
    FleetRateLimit.Builder b = builder().maxWait(Duration.ZERO);
    try (FleetRateLimit first = b.build()) {
      b.burst(7); // a setting made after the first build does not reach it
      try (FleetRateLimit second = b.build()) {
        assertThat(second).isNotSameAs(first);
        assertThat(first.asRateLimiter()).isNotSameAs(second.asRateLimiter());
        assertThat(first.toString()).isEqualTo(second.toString());
        first.close();
        assertThat(second.tryAcquire()).isTrue(); // closing one leaves the other working
      }
    }
  }
}
