package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.perfkit.core.internal.VirtualThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoizerTest {

  private static final int THREADS = 64;

  /** 64 callers miss one key at once; the loader waits until all of them have asked. */
  private static List<Object> stampede(ExecutorService pool, java.util.function.Function<String, Object> call)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(pool.submit(() -> {
        ready.countDown();
        ready.await();
        return call.apply("key");
      }));
    }
    List<Object> values = new ArrayList<>();
    for (Future<Object> f : results) {
      values.add(f.get(30, TimeUnit.SECONDS));
    }
    return values;
  }

  @Test
  void concurrentMissesOnOneKeyLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, String> memo = Memoizer.named("stampede").build(k -> {
      loads.incrementAndGet();
      sleep(100); // long enough for every caller to arrive while the load runs
      return k.toUpperCase();
    });
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      assertThat(stampede(pool, memo::apply)).hasSize(THREADS).containsOnly("KEY");
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    CacheStatistics s = memo.stats();
    assertThat(s.loadSuccesses()).isEqualTo(1);
    assertThat(s.lifetime().requests()).isEqualTo(THREADS);
    assertThat(s.puts()).isEqualTo(1);
  }

  @Test
  void concurrentAsyncMissesShareOneLoad() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    ExecutorService loader = Executors.newSingleThreadExecutor();
    AsyncMemoizedFunction<String, String> memo = Memoizer.named("stampede-async")
        .buildAsync(k -> CompletableFuture.supplyAsync(() -> {
          loads.incrementAndGet();
          sleep(100);
          return k + "!";
        }, loader));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      assertThat(stampede(pool, k -> memo.apply(k).join())).hasSize(THREADS).containsOnly("key!");
    } finally {
      pool.shutdownNow();
      loader.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    assertThat(memo.stats().loadSuccesses()).isEqualTo(1);
  }

  @Test
  void virtualThreadsMissingOneKeyLoadOnceWithoutBlockingTheirCarriers() throws Exception {
    // JDK 17: no virtual threads (skipped, not green); the platform-thread stampede test covers
    // the logic there
    assumeTrue(VirtualThreads.isSupported(), "virtual threads need Java 21+");
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, String> memo = Memoizer.named("stampede-virtual").build(k -> {
      loads.incrementAndGet();
      sleep(200); // the loading virtual thread unmounts here and must get a carrier back
      return "v";
    });
    ExecutorService pool = VirtualThreads.newThreadPerTaskExecutor("memo-").orElseThrow();
    try {
      // 64 waiters on 2 carriers: waiters that pinned their carrier would starve the loader
      assertThat(stampede(pool, memo::apply)).containsOnly("v");
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aLoaderFailureReachesEveryWaiterUnchangedIsNotCachedAndIsCounted() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("downstream is down");
    MemoizedFunction<String, String> memo = Memoizer.named("failing").build(k -> {
      if (loads.incrementAndGet() == 1) {
        sleep(100);
        throw boom;
      }
      return "recovered";
    });
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try {
      stampede(pool, k -> {
        try {
          return memo.apply(k);
        } catch (RuntimeException e) {
          failures.add(e);
          return null;
        }
      });
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures).hasSize(THREADS).allMatch(t -> t == boom);
    assertThat(memo.stats().loadFailures()).isEqualTo(1);
    assertThat(memo.apply("key")).isEqualTo("recovered");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aCheckedExceptionPassesThroughUnchanged() {
    IOException io = new IOException("disk");
    MemoizedCheckedFunction<Integer, String, IOException> memo = Memoizer.named("checked")
        .buildChecked((Integer k) -> {
          if (k < 0) {
            throw io;
          }
          return "v" + k;
        });
    assertThatThrownBy(() -> memo.get(-1)).isSameAs(io);
    try {
      assertThat(memo.get(1)).isEqualTo("v1");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(memo.asFunction().apply(1)).isEqualTo("v1");
    assertThat(memo.stats().loadSuccesses()).isEqualTo(1);
  }

  @Test
  void nullResultsAreReturnedButNotCachedUnlessAbsentIsCached() {
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, String> plain = Memoizer.named("nulls").build(k -> {
      loads.incrementAndGet();
      return null;
    });
    assertThat(plain.apply("a")).isNull();
    assertThat(plain.apply("a")).isNull();
    assertThat(loads).hasValue(2);

    FakeTicker ticker = new FakeTicker();
    AtomicInteger negativeLoads = new AtomicInteger();
    MemoizedFunction<String, String> negative = Memoizer.named("negative").ticker(ticker)
        .expireAfterWrite(Duration.ofHours(1)).cacheAbsent(Duration.ofSeconds(30))
        .build(k -> {
          negativeLoads.incrementAndGet();
          return k.equals("missing") ? null : "here";
        });
    assertThat(negative.apply("missing")).isNull();
    assertThat(negative.apply("missing")).isNull();
    assertThat(negativeLoads).hasValue(1);
    ticker.advance(Duration.ofSeconds(31)); // "absent" has its own, shorter, lifetime
    assertThat(negative.apply("missing")).isNull();
    assertThat(negative.apply("here")).isEqualTo("here");
    ticker.advance(Duration.ofSeconds(31));
    assertThat(negative.apply("here")).isEqualTo("here");
    assertThat(negativeLoads).hasValue(3);
  }

  @Test
  void expiryFollowsTheFakeTicker() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> memo = Memoizer.named("expiring").ticker(ticker)
        .expireAfterWrite(Duration.ofMinutes(1)).build(k -> loads.incrementAndGet());
    assertThat(memo.apply("k")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(59));
    assertThat(memo.apply("k")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(memo.apply("k")).isEqualTo(2);

    MemoizedFunction<Integer, String> variable = Memoizer.named("variable").ticker(ticker)
        .<Integer, String>expireAfter((k, v) -> Duration.ofSeconds(k))
        .build(k -> "v" + loads.incrementAndGet());
    String short1 = variable.apply(1);
    String long10 = variable.apply(10);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(variable.apply(1)).isNotEqualTo(short1);
    assertThat(variable.apply(10)).isEqualTo(long10);
  }

  @Test
  void refreshAfterWriteServesTheStaleValueThenTheFreshOne() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger version = new AtomicInteger();
    java.util.Queue<Runnable> background = new java.util.concurrent.ConcurrentLinkedQueue<>();
    MemoizedFunction<String, String> memo = Memoizer.named("refreshing").ticker(ticker)
        .executor(background::add) // the test decides when background work runs
        .refreshAfterWrite(Duration.ofMinutes(1))
        .build(k -> k + version.incrementAndGet());
    assertThat(memo.apply("k")).isEqualTo("k1");
    ticker.advance(Duration.ofMinutes(2));
    assertThat(memo.apply("k")).isEqualTo("k1"); // stale served; this read starts one reload
    assertThat(memo.apply("k")).isEqualTo("k1"); // still stale while the reload is pending
    assertThat(version).hasValue(1);
    Runnable task;
    while ((task = background.poll()) != null) {
      task.run();
    }
    assertThat(memo.apply("k")).isEqualTo("k2");
    assertThat(version).hasValue(2);
    assertThat(memo.stats().loadSuccesses()).isEqualTo(2);
  }

  @Test
  void keysDueForRefreshTogetherAreReloadedThroughOneBatchCall() throws Exception {
    FakeTicker ticker = new FakeTicker();
    List<Set<Integer>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch batchDone = new CountDownLatch(1);
    AtomicInteger generation = new AtomicInteger(1);
    MemoizedFunction<Integer, String> memo = Memoizer.named("bulk").ticker(ticker)
        .refreshAfterWrite(Duration.ofMinutes(1)).bulkRefresh(Duration.ofMillis(200))
        .build(k -> k + "@" + generation.get(), keys -> {
          batches.add(Set.copyOf(keys));
          Map<Integer, String> values = new HashMap<>();
          keys.forEach(k -> values.put(k, k + "@" + generation.get()));
          batchDone.countDown();
          return values;
        });
    for (int k = 1; k <= 3; k++) {
      assertThat(memo.apply(k)).isEqualTo(k + "@1");
    }
    generation.set(2);
    ticker.advance(Duration.ofMinutes(2));
    for (int k = 1; k <= 3; k++) {
      assertThat(memo.apply(k)).isEqualTo(k + "@1"); // stale served, refresh queued
    }
    assertThat(batchDone.await(10, TimeUnit.SECONDS)).isTrue();
    for (int k = 1; k <= 3; k++) {
      awaitValue(memo, k, k + "@2");
    }
    assertThat(batches).containsExactly(Set.of(1, 2, 3));
  }

  private static void awaitValue(MemoizedFunction<Integer, String> memo, int key, String expected)
      throws InterruptedException {
    for (int i = 0; i < 500 && !expected.equals(memo.getIfPresent(key)); i++) {
      Thread.sleep(10); // the batch completes on a pool thread; wait for its write to land
    }
    assertThat(memo.getIfPresent(key)).isEqualTo(expected);
  }

  @Test
  void getAllLoadsEveryMissingKeyWithOneBatchCall() {
    List<Set<Integer>> batches = new ArrayList<>();
    MemoizedFunction<Integer, String> memo = Memoizer.named("get-all").build(k -> "one" + k,
        keys -> {
          batches.add(Set.copyOf(keys));
          Map<Integer, String> values = new HashMap<>();
          keys.stream().filter(k -> k != 99).forEach(k -> values.put(k, "v" + k));
          return values;
        });
    assertThat(memo.apply(1)).isEqualTo("one1");
    Map<Integer, String> all = memo.getAll(List.of(3, 1, 2, 99, 3));
    assertThat(all).containsExactly(Map.entry(3, "v3"), Map.entry(1, "one1"), Map.entry(2, "v2"));
    assertThat(batches).containsExactly(Set.of(2, 3, 99));
  }

  @Test
  void invalidationRemovesOneManyMatchingOrAllKeys() {
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<Integer, Integer> memo = Memoizer.named("invalidate")
        .build(k -> loads.incrementAndGet());
    for (int k = 0; k < 10; k++) {
      memo.apply(k);
    }
    memo.invalidate(0);
    memo.invalidateAll(List.of(1, 2));
    memo.invalidateIf(k -> k % 2 == 1); // 3, 5, 7, 9
    assertThat(memo.getIfPresent(0)).isNull();
    assertThat(memo.getIfPresent(4)).isNotNull();
    assertThat(memo.estimatedSize()).isEqualTo(3); // 4, 6, 8
    memo.invalidateAll();
    assertThat(memo.estimatedSize()).isZero();
    int before = loads.get();
    memo.apply(4);
    assertThat(loads).hasValue(before + 1);
  }

  @Test
  void aValueLoadedWhileItsKeyIsInvalidatedReachesItsCallerButIsNotStored() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> memo = Memoizer.named("invalidate-in-flight").build(k -> {
      int n = loads.incrementAndGet();
      if (n == 1) {
        loading.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return n;
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> first = pool.submit(() -> memo.apply("k"));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      memo.invalidate("k"); // the invalidation comes after the load started: the old value is stale
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(memo.getIfPresent("k")).isNull();
    assertThat(memo.apply("k")).isEqualTo(2);
    assertThat(memo.stats().puts()).isEqualTo(1);
  }

  @Test
  void aValueThatCannotBeStoredFailsEveryCallerInsteadOfLeavingThemWaiting() {
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<Integer, String> memo = Memoizer.named("bad-expiry")
        .<Integer, String>expireAfter((k, v) -> Duration.ofSeconds(-1))
        .build(k -> "v" + loads.incrementAndGet());
    assertThatIllegalArgumentException().isThrownBy(() -> memo.apply(1))
        .withMessageContaining("expireAfter must return a duration >= 0");
    assertThatIllegalArgumentException().isThrownBy(() -> memo.apply(1)); // loads again, no hang
    assertThat(loads).hasValue(2);
    assertThat(memo.getIfPresent(1)).isNull();
  }

  @Test
  void explicitRefreshReloadsAKey() throws Exception {
    AtomicInteger version = new AtomicInteger();
    MemoizedFunction<String, Integer> memo = Memoizer.named("refresh-key").executor(Runnable::run)
        .build(k -> version.incrementAndGet());
    assertThat(memo.apply("k")).isEqualTo(1);
    assertThat(memo.refresh("k").get()).isEqualTo(2);
    assertThat(memo.apply("k")).isEqualTo(2);
  }

  @Test
  void aSupplierIsComputedOnceAndABiFunctionKeysOnBothArguments() {
    AtomicInteger computed = new AtomicInteger();
    MemoizedSupplier<String> config = Memoizer.named("config")
        .buildSupplier(() -> "config#" + computed.incrementAndGet());
    assertThat(config.get()).isEqualTo("config#1");
    assertThat(config.get()).isEqualTo("config#1");
    config.invalidate();
    assertThat(config.get()).isEqualTo("config#2");

    AtomicInteger calls = new AtomicInteger();
    MemoizedBiFunction<String, Integer, String> price = Memoizer.named("price")
        .buildBiFunction((String sku, Integer qty) -> {
          calls.incrementAndGet();
          return sku + "x" + qty;
        });
    assertThat(price.apply("a", 1)).isEqualTo("ax1");
    assertThat(price.apply("a", 1)).isEqualTo("ax1");
    assertThat(price.apply("a", 2)).isEqualTo("ax2");
    assertThat(calls).hasValue(2);
  }

  @Test
  void sizeEvictionsAreCountedByCause() {
    MemoizedFunction<Integer, Integer> memo = Memoizer.named("small").executor(Runnable::run)
        .maximumSize(10).build(k -> k);
    for (int k = 0; k < 1000; k++) {
      memo.apply(k);
    }
    CacheStatistics s = memo.stats();
    assertThat(s.evictions().get("SIZE")).isGreaterThanOrEqualTo(990);
    assertThat(s.evictionCount()).isEqualTo(s.evictions().get("SIZE"));
    assertThat(s.size()).isLessThanOrEqualTo(10);
  }

  @Test
  void badInputFailsFastNamingTheParameter() {
    assertThatNullPointerException().isThrownBy(() -> Memoizer.named(null))
        .withMessage("name must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> Memoizer.named(" "))
        .withMessageContaining("name");
    assertThatIllegalArgumentException().isThrownBy(() -> Memoizer.named("x").maximumSize(-1))
        .withMessage("maximumSize must not be negative but was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Memoizer.named("x").expireAfterWrite(Duration.ofSeconds(-1)))
        .withMessageContaining("expireAfterWrite must be positive");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Memoizer.named("x").refreshAfterWrite(Duration.ZERO))
        .withMessageContaining("refreshAfterWrite");
    assertThatIllegalArgumentException().isThrownBy(() -> Memoizer.named("x").targetHitRatio(0))
        .withMessageContaining("targetHitRatio");
    assertThatNullPointerException().isThrownBy(() -> Memoizer.named("x").build(null))
        .withMessage("loader must not be null");
    assertThatIllegalStateException()
        .isThrownBy(() -> Memoizer.named("x").maximumSize(1).maximumSize(2))
        .withMessageContaining("maximumSize");
    assertThatIllegalStateException()
        .isThrownBy(() -> Memoizer.named("x").bulkRefresh(Duration.ofMillis(5)).build(k -> k))
        .withMessageContaining("bulkRefresh needs refreshAfterWrite");
    MemoizedFunction<String, String> memo = Memoizer.named("x").build(k -> k);
    assertThatNullPointerException().isThrownBy(() -> memo.apply(null)).withMessage("key");
  }

  @Test
  void aMemoizedFunctionIsAnOrdinaryFunction() throws ExecutionException, InterruptedException {
    java.util.function.Function<Integer, Integer> square = Memoizer.named("square").build(x -> x * x);
    assertThat(List.of(1, 2, 3).stream().map(square).toList()).containsExactly(1, 4, 9);
    assertThat(CompletableFuture.supplyAsync(() -> 4).thenApply(square).get()).isEqualTo(16);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
