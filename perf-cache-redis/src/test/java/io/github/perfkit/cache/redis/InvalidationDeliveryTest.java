package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12 item 1: an invalidation is never lost, whatever state Redis is in when it is issued. */
class InvalidationDeliveryTest {

  /** The documented bound once Redis answers again, with the default 250 ms command timeout. */
  static final Duration REDELIVERY_BOUND =
      Duration.ofMillis(TieredFunction.REDELIVERY_BOUND_MILLIS + 250);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T opened(T resource) {
    open.add(resource);
    return resource;
  }

  private static String uniqueName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private TieredFunction<Long, String> instance(String uri, String name,
      Function<Long, String> loader) {
    return opened(builder(uri, name).build(loader));
  }

  private static RedisTier.Builder<Long, String> builder(String uri, String name) {
    return RedisTier.<Long, String>named(name).redis(uri)
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .l1(1_000, Duration.ofMinutes(5)).l2Ttl(Duration.ofMinutes(10));
  }

  private static boolean await(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Test
  void invalidationsIssuedWhileRedisIsPausedAllLandOnceItResumes() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    RedisAdmin admin = opened(new RedisAdmin(redis.uri()));
    String name = uniqueName("paused");
    AtomicInteger version = new AtomicInteger(1);
    Function<Long, String> loader = k -> "v" + k + "@" + version.get();
    TieredFunction<Long, String> a = instance(redis.uri(), name, loader);
    TieredFunction<Long, String> b = instance(redis.uri(), name, loader);
    int invalidated = 40;
    int untouched = 10;
    for (long k = 0; k < invalidated + untouched; k++) {
      assertThat(a.apply(k)).isEqualTo("v" + k + "@1");
      assertThat(b.apply(k)).isEqualTo("v" + k + "@1"); // from Redis into b's L1
    }
    assertThat(admin.sync().get(RedisAdmin.dataKey(name, 0L))).isEqualTo("v0@1");

    redis.pause();
    try {
      AtomicLong probe = new AtomicLong(1_000_000);
      assertThat(await(Duration.ofSeconds(30), () -> {
        a.apply(probe.incrementAndGet()); // time-outs open a's breaker
        return !a.redisAvailable();
      })).as("a's breaker opens while Redis is paused").isTrue();
      version.set(2);
      for (long k = 0; k < invalidated; k++) {
        assertThat(a.invalidate(k)).isEqualTo(InvalidationStatus.QUEUED);
        assertThat(a.l1().getIfPresent(k)).as("a's L1 once invalidate(%d) returned", k).isNull();
        assertThat(a.apply(k)).isEqualTo("v" + k + "@2");
      }
      assertThat(a.stats().invalidationsPending()).isEqualTo(invalidated);
      assertThat(a.stats().invalidationsQueued()).isEqualTo(invalidated);
      assertThat(a.stats().invalidationsSent()).isZero();
    } finally {
      redis.resume();
    }
    long resumed = System.nanoTime();

    boolean landed = await(Duration.ofSeconds(30), () -> {
      for (long k = 0; k < invalidated; k++) {
        if (b.l1().getIfPresent(k) != null || admin.sync().exists(RedisAdmin.dataKey(name, k)) > 0) {
          return false;
        }
      }
      return true;
    });
    Duration took = Duration.ofNanos(System.nanoTime() - resumed);
    assertThat(landed).as("every invalidation reached Redis and b").isTrue();
    assertThat(took).as("redelivery after Redis resumed").isLessThanOrEqualTo(REDELIVERY_BOUND);
    for (long k = 0; k < invalidated; k++) {
      assertThat(b.apply(k)).isEqualTo("v" + k + "@2");
      assertThat(a.apply(k)).isEqualTo("v" + k + "@2");
    }
    for (long k = invalidated; k < invalidated + untouched; k++) {
      assertThat(b.l1().getIfPresent(k)).as("b's L1 was not cleared: the messages did it")
          .isEqualTo("v" + k + "@1");
    }
    assertThat(a.stats().invalidationsPending()).isZero();
    assertThat(a.stats().invalidationsSent()).as("each landed exactly once").isEqualTo(invalidated);
    // a script that timed out while Redis was paused still runs when it resumes: at least once
    assertThat(b.stats().invalidationsReceived()).isGreaterThanOrEqualTo(invalidated);
    assertThat(b.stats().l1Clears()).isZero();
  }

  @Test
  void invalidationsIssuedWhileRedisIsDownAreDeliveredAfterItRestarts() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    String name = uniqueName("killed");
    AtomicInteger version = new AtomicInteger(1);
    Function<Long, String> loader = k -> "v" + k + "@" + version.get();
    TieredFunction<Long, String> a = instance(redis.uri(), name, loader);
    TieredFunction<Long, String> b = instance(redis.uri(), name, loader);
    int invalidated = 25;
    for (long k = 0; k < invalidated; k++) {
      a.apply(k);
      assertThat(b.apply(k)).isEqualTo("v" + k + "@1");
    }
    redis.stop();
    assertThat(await(Duration.ofSeconds(30), () -> !a.redisAvailable())).isTrue();
    version.set(2);
    for (long k = 0; k < invalidated; k++) {
      assertThat(a.invalidate(k)).isEqualTo(InvalidationStatus.QUEUED);
      assertThat(a.apply(k)).isEqualTo("v" + k + "@2");
    }
    assertThat(a.stats().invalidationsPending()).isEqualTo(invalidated);

    redis.startAgain();
    long started = System.nanoTime();
    assertThat(await(Duration.ofSeconds(30), () -> a.stats().invalidationsPending() == 0))
        .as("a's outbox drains after the restart").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThanOrEqualTo(REDELIVERY_BOUND);
    assertThat(a.stats().invalidationsSent()).isEqualTo(invalidated);
    assertThat(await(REDELIVERY_BOUND, () -> b.l1().estimatedSize() == 0
        || b.l1().getIfPresent(0L) == null)).isTrue();
    for (long k = 0; k < invalidated; k++) {
      assertThat(b.l1().getIfPresent(k)).as("b resubscribed and cleared its L1").isNull();
      assertThat(b.apply(k)).isEqualTo("v" + k + "@2");
    }
    assertThat(b.stats().l1Clears()).isPositive();
  }

  /** An ACL user that may read and write keys but not delete, publish or run scripts. */
  private static void denyInvalidation(RedisAdmin admin, String user) {
    admin.sync().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on()
        .removeCommand(io.lettuce.core.protocol.CommandType.EVAL)
        .removeCommand(io.lettuce.core.protocol.CommandType.EVALSHA)
        .removeCommand(io.lettuce.core.protocol.CommandType.UNLINK)
        .removeCommand(io.lettuce.core.protocol.CommandType.DEL)
        .removeCommand(io.lettuce.core.protocol.CommandType.PUBLISH));
  }

  private static void allowEverything(RedisAdmin admin, String user, String password) {
    admin.sync().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on()
        .addPassword(password).allKeys().allChannels().allCommands());
  }

  @Test
  void aKeyWhoseInvalidationIsStillPendingIsNotReadBackFromRedis() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    RedisAdmin admin = opened(new RedisAdmin(redis.uri()));
    allowEverything(admin, "app", "app-pw");
    String name = uniqueName("pending");
    AtomicInteger version = new AtomicInteger(1);
    Function<Long, String> loader = k -> "v" + k + "@" + version.get();
    TieredFunction<Long, String> a = instance(redis.uri("app", "app-pw"), name, loader);
    TieredFunction<Long, String> b = instance(redis.uri(), name, loader);
    assertThat(a.apply(1L)).isEqualTo("v1@1");
    assertThat(b.apply(1L)).isEqualTo("v1@1");

    denyInvalidation(admin, "app"); // a can still read Redis, but cannot delete or publish
    version.set(2);
    assertThat(a.invalidate(1L)).isEqualTo(InvalidationStatus.QUEUED);
    assertThat(a.l1().getIfPresent(1L)).isNull();
    assertThat(admin.sync().get(RedisAdmin.dataKey(name, 1L))).as("not deleted yet")
        .isEqualTo("v1@1");
    assertThat(a.apply(1L)).as("a skips Redis for a key whose delete is pending")
        .isEqualTo("v1@2");

    allowEverything(admin, "app", "app-pw");
    assertThat(await(Duration.ofSeconds(30), () -> b.l1().getIfPresent(1L) == null
        && admin.sync().exists(RedisAdmin.dataKey(name, 1L)) == 0))
        .as("the queued invalidation is delivered once Redis lets it through").isTrue();
    assertThat(b.apply(1L)).isEqualTo("v1@2");
    assertThat(await(Duration.ofSeconds(10), () -> a.stats().invalidationsPending() == 0)).isTrue();
    assertThat(a.stats().invalidationsSent()).isEqualTo(1);
    assertThat(a.apply(1L)).isEqualTo("v1@2");
  }

  @Test
  void aFullOutboxRejectsTheInvalidationAndCountsIt() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    RedisAdmin admin = opened(new RedisAdmin(redis.uri()));
    allowEverything(admin, "app", "app-pw");
    String name = uniqueName("full");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TieredFunction<Long, String> a = opened(builder(redis.uri("app", "app-pw"), name)
        .maxPendingInvalidations(3).build(k -> "v" + k));
    a.metrics().bindTo(registry);
    for (long k = 9_876_501; k <= 9_876_504; k++) {
      a.apply(k);
    }
    denyInvalidation(admin, "app");
    for (long k = 9_876_501; k <= 9_876_503; k++) {
      assertThat(a.invalidate(k)).isEqualTo(InvalidationStatus.QUEUED);
    }
    assertThat(a.invalidate(9_876_502L)).as("a key already waiting takes no more room")
        .isEqualTo(InvalidationStatus.QUEUED);
    assertThatThrownBy(() -> a.invalidate(9_876_504L))
        .isInstanceOf(InvalidationRejectedException.class)
        .hasMessageContaining(name).hasMessageContaining("3")
        .hasMessageNotContaining("9876504")
        .satisfies(e -> {
          assertThat(((InvalidationRejectedException) e).cacheName()).isEqualTo(name);
          assertThat(((InvalidationRejectedException) e).maxPending()).isEqualTo(3);
        });
    assertThat(a.l1().getIfPresent(9_876_504L)).as("still dropped locally").isNull();
    assertThat(a.invalidateAll()).as("invalidateAll is never rejected")
        .isEqualTo(InvalidationStatus.QUEUED);
    TierStats stats = a.stats();
    assertThat(stats.invalidationsRejected()).isEqualTo(1);
    assertThat(stats.invalidationsQueued()).isEqualTo(5);
    assertThat(stats.invalidationsPending()).isEqualTo(4);
    assertThat(registry.get("perfkit.cache.invalidations.rejected").tags("cache", name)
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("perfkit.cache.invalidations.pending").tags("cache", name)
        .gauge().value()).isEqualTo(4);
    assertThat(registry.get("perfkit.cache.invalidations.queued").tags("cache", name)
        .functionCounter().count()).isEqualTo(5);

    try (LogCapture logs = new LogCapture()) {
      a.close(); // Redis still refuses: what is left is reported, as a count
      List<String> warnings = logs.perfkit(java.util.logging.Level.WARNING, name);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("4 invalidation(s)").doesNotContain("987650");
    }
  }

  @Test
  void concurrentInvalidationsFillTheOutboxToExactlyItsCapacityAndAllQueuedOnesLand()
      throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    RedisAdmin admin = opened(new RedisAdmin(redis.uri()));
    allowEverything(admin, "app", "app-pw");
    String name = uniqueName("stress");
    int threads = 8;
    int perThread = 50;
    int capacity = 300;
    TieredFunction<Long, String> a = opened(builder(redis.uri("app", "app-pw"), name)
        .maxPendingInvalidations(capacity).build(k -> "v" + k));
    List<Long> all = new ArrayList<>();
    for (long k = 0; k < threads * perThread; k++) {
      all.add(k);
    }
    a.getAll(all); // every key in Redis
    denyInvalidation(admin, "app");

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<Long> queuedKeys = ConcurrentHashMap.newKeySet();
    Set<Long> rejectedKeys = ConcurrentHashMap.newKeySet();
    AtomicInteger other = new AtomicInteger();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long first = (long) t * perThread;
        done.add(pool.submit(() -> {
          go.await();
          for (long k = first; k < first + perThread; k++) {
            try {
              if (a.invalidate(k) == InvalidationStatus.QUEUED) {
                queuedKeys.add(k);
              } else {
                other.incrementAndGet();
              }
            } catch (InvalidationRejectedException e) {
              rejectedKeys.add(k);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(other).hasValue(0);
    assertThat(queuedKeys).hasSize(capacity);
    assertThat(rejectedKeys).hasSize(threads * perThread - capacity);
    assertThat(a.stats().invalidationsPending()).isEqualTo(capacity);
    assertThat(a.stats().invalidationsRejected()).isEqualTo(threads * perThread - capacity);

    allowEverything(admin, "app", "app-pw");
    assertThat(await(Duration.ofSeconds(30), () -> a.stats().invalidationsPending() == 0))
        .isTrue();
    assertThat(a.stats().invalidationsSent()).isEqualTo(capacity);
    for (long k : queuedKeys) {
      assertThat(admin.sync().exists(RedisAdmin.dataKey(name, k))).as("queued %d", k).isZero();
    }
    for (long k : rejectedKeys) {
      assertThat(admin.sync().get(RedisAdmin.dataKey(name, k))).as("rejected %d: never told", k)
          .isEqualTo("v" + k);
    }
  }
}
