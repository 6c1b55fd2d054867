package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.testkit.LoopbackServices;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 12 item 4: clients are created by build(), each cache owns its own, close() is final. */
class ClientLifecycleTest {

  private static String loopbackUri() {
    var s = LoopbackServices.redis();
    return "redis://" + s.host() + ":" + s.port();
  }

  private static String uniqueName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static RedisTier.Builder<Long, String> builder(String name) {
    return RedisTier.<Long, String>named(name).redis(loopbackUri())
        .keys(KeyCodec.longs()).values(ValueCodec.strings());
  }

  /** Live threads a Lettuce client starts (event loops, timer). */
  private static Set<Thread> lettuceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("lettuce-"))
        .collect(Collectors.toSet());
  }

  private static Set<Thread> startedSince(Set<Thread> before) {
    Set<Thread> now = lettuceThreads();
    now.removeAll(before);
    return now;
  }

  @Test
  void settingRedisTwiceOrAbandoningTheBuilderStartsNoClient() {
    Set<Thread> before = lettuceThreads();
    RedisTier.Builder<Long, String> abandoned = builder(uniqueName("abandoned"));
    assertThatThrownBy(() -> abandoned.redis(loopbackUri())) // set twice, then never built
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("redis was already set");
    assertThat(startedSince(before)).as("threads of clients nobody will close").isEmpty();
  }

  @Test
  void closingOneOfTwoCachesBuiltFromOneBuilderLeavesTheOtherWorking() {
    String name = uniqueName("twins");
    RedisTier.Builder<Long, String> builder = builder(name);
    TieredFunction<Long, String> first = builder.build(k -> "v" + k);
    try (TieredFunction<Long, String> second = builder.build(k -> "v" + k)) {
      assertThat(first.apply(1L)).isEqualTo("v1");
      first.close();
      assertThat(second.redisAvailable()).isTrue();
      assertThat(second.apply(1L)).isEqualTo("v1");
      assertThat(second.stats().l2Hits()).as("second still reads Redis").isEqualTo(1);
      assertThat(second.apply(2L)).isEqualTo("v2");
      assertThat(second.stats().l2Puts()).as("and writes it").isEqualTo(1);
      assertThat(second.stats().fallbacks()).isZero();
    }
  }

  @Test
  void closeStopsTheClientsThreads() throws Exception {
    Set<Thread> before = lettuceThreads();
    TieredFunction<Long, String> tier = builder(uniqueName("threads")).build(k -> "v" + k);
    assertThat(tier.apply(1L)).isEqualTo("v1");
    assertThat(startedSince(before)).isNotEmpty();
    tier.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!startedSince(before).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(startedSince(before)).isEmpty();
  }

  @Test
  void callsAfterCloseThrowIllegalStateExceptionNamingTheCache() {
    String name = uniqueName("closed");
    TieredFunction<Long, String> tier = builder(name).build(k -> "v" + k);
    assertThat(tier.apply(1L)).isEqualTo("v1");
    tier.close();
    tier.close(); // idempotent
    assertThatThrownBy(() -> tier.apply(1L)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(() -> tier.getAll(List.of(1L))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(() -> tier.invalidate(1L)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(tier::invalidateAll).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name);
  }
}
