package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12 item 2: a value loaded before an invalidation never reaches Redis after it. */
class InvalidationRaceTest {

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static String loopbackUri() {
    var s = LoopbackServices.redis();
    return "redis://" + s.host() + ":" + s.port();
  }

  private TieredFunction<Long, String> instance(String uri, String name,
      Function<Long, String> loader) {
    TieredFunction<Long, String> tier = RedisTier.<Long, String>named(name).redis(uri)
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .l1(1_000, Duration.ofMinutes(5)).l2Ttl(Duration.ofMinutes(10))
        .build(loader);
    open.add(tier);
    return tier;
  }

  /** The source of truth the loaders read: a version per key. */
  static final class Source {
    final AtomicInteger version = new AtomicInteger(1);

    String read(long key) {
      return "v" + key + "@" + version.get();
    }
  }

  @Test
  void aSlowLoadRacingAnInvalidationDoesNotWriteTheOldValueToRedis() throws Exception {
    raceSlowLoadsWith((a, key) -> a.invalidate(key));
  }

  @Test
  void aSlowLoadRacingInvalidateAllDoesNotWriteTheOldValueToRedis() throws Exception {
    raceSlowLoadsWith((a, key) -> a.invalidateAll());
  }

  interface Invalidation {
    void run(TieredFunction<Long, String> a, long key);
  }

  private void raceSlowLoadsWith(Invalidation invalidation) throws Exception {
    String uri = loopbackUri();
    String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
    RedisAdmin admin = new RedisAdmin(uri);
    open.add(admin);
    Source source = new Source();
    AtomicReference<CountDownLatch> readStarted = new AtomicReference<>();
    AtomicReference<CountDownLatch> finishLoad = new AtomicReference<>();
    TieredFunction<Long, String> a = instance(uri, name, source::read);
    TieredFunction<Long, String> b = instance(uri, name, k -> {
      String value = source.read(k); // reads the source first, then is slow to finish
      readStarted.get().countDown();
      try {
        finishLoad.get().await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return value;
    });
    int trials = 5;
    for (int trial = 0; trial < trials; trial++) {
      long key = 100 + trial;
      source.version.set(1);
      readStarted.set(new CountDownLatch(1));
      finishLoad.set(new CountDownLatch(1));
      CompletableFuture<String> slowLoad = CompletableFuture.supplyAsync(() -> b.apply(key));
      assertThat(readStarted.get().await(30, TimeUnit.SECONDS)).isTrue();

      source.version.set(2); // the write, then its invalidation, while b is still loading
      long receivedBefore = b.stats().invalidationsReceived();
      invalidation.run(a, key);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (b.stats().invalidationsReceived() == receivedBefore && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(b.stats().invalidationsReceived()).isEqualTo(receivedBefore + 1);
      finishLoad.get().countDown();

      // the caller that overlapped the invalidation may see the old value, nobody after it may
      assertThat(slowLoad.get(30, TimeUnit.SECONDS)).isEqualTo("v" + key + "@1");
      assertThat(admin.sync().get(RedisAdmin.dataKey(name, key)))
          .as("trial %d: Redis after the slow load finished", trial).isNull();
      assertThat(b.apply(key)).as("trial %d: b", trial).isEqualTo("v" + key + "@2");
      assertThat(a.apply(key)).as("trial %d: a", trial).isEqualTo("v" + key + "@2");
      assertThat(admin.sync().get(RedisAdmin.dataKey(name, key))).isEqualTo("v" + key + "@2");
    }
    assertThat(b.stats().staleStoresRefused()).isEqualTo(trials);
    assertThat(b.stats().l2Puts()).as("b stored v2 of each key, never v1").isEqualTo(trials);
  }
}
