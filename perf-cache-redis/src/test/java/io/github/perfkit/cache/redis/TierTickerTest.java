package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.testkit.LoopbackServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisTier.Builder#ticker}: the cache's timing decisions follow a fake ticker, against the
 * real Redis. The ticker moves only when a loader moves it, so every duration is exact.
 */
class TierTickerTest {

  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private TieredFunction<Long, String> tier(Function<Long, String> loader) {
    var s = LoopbackServices.redis();
    TieredFunction<Long, String> tier = RedisTier.<Long, String>named(
            "ticker-" + UUID.randomUUID().toString().substring(0, 8))
        .redis("redis://" + s.host() + ":" + s.port())
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .l1(100, Duration.ofMinutes(1)).ticker(ticker)
        .build(loader);
    open.add(tier);
    return connected(tier);
  }

  /**
   * Waits until the cache is connected and, when its first connection attempt failed (a loaded
   * machine), until the L1 clear that follows a late connection has happened, so that no clear
   * lands in the middle of a test.
   */
  static <T extends TieredFunction<?, ?>> T connected(T tier) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(tier.redisAvailable() && (tier.connectAttempts() == 1 || tier.stats().l1Clears() > 0))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    assertThat(tier.redisAvailable()).as("connected to the loopback Redis").isTrue();
    return tier;
  }

  /** A loader that takes {@code nanos} on the fake ticker per call. */
  private Function<Long, String> taking(long nanos) {
    return k -> {
      now.addAndGet(nanos);
      return "v" + k;
    };
  }

  @Test
  void aLoadLongerThanThirtySecondsOnTheTickerIsNotWrittenToRedis() {
    long limit = TieredFunction.MAX_STORED_LOAD_NANOS;
    assertThat(limit).isEqualTo(Duration.ofSeconds(30).toNanos());
    TieredFunction<Long, String> slow = tier(taking(limit + 1));
    assertThat(slow.apply(1L)).isEqualTo("v1"); // the caller gets it ...
    assertThat(slow.stats().staleStoresRefused()).isEqualTo(1); // ... Redis does not
    assertThat(slow.stats().l2Puts()).isZero();

    TieredFunction<Long, String> justInTime = tier(taking(limit));
    assertThat(justInTime.apply(1L)).isEqualTo("v1");
    assertThat(justInTime.stats().l2Puts()).isEqualTo(1);
    assertThat(justInTime.stats().staleStoresRefused()).isZero();
  }

  @Test
  void theL1LoadTimeIsWhatTheTickerMeasured() {
    TieredFunction<Long, String> tier = tier(taking(Duration.ofMillis(7).toNanos()));
    tier.apply(1L);
    tier.apply(2L);
    assertThat(tier.l1().stats().totalLoadTime()).isEqualTo(Duration.ofMillis(14));
    assertThat(tier.l1().loadTimes().snapshot().count()).isEqualTo(2);
    assertThat(tier.l1().loadTimes().snapshot().totalNanos())
        .isEqualTo(Duration.ofMillis(14).toNanos());
  }

  @Test
  void theL1ExpiresOnTheTicker() {
    TieredFunction<Long, String> tier = tier(taking(0));
    assertThat(tier.apply(1L)).isEqualTo("v1");
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(tier.apply(1L)).isEqualTo("v1");
    assertThat(tier.stats().l2Hits()).as("still in L1").isZero();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(tier.apply(1L)).isEqualTo("v1");
    assertThat(tier.stats().l2Hits()).as("L1 expired: read from Redis").isEqualTo(1);
    assertThat(tier.stats().loads()).isEqualTo(1);
  }
}
