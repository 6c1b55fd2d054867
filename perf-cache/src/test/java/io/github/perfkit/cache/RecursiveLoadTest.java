package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A loader that asks its own cache for the key it is loading would wait for itself forever; it must
 * fail fast with an {@link IllegalStateException} naming the cache, and leave the key loadable.
 * Each call runs under a preemptive timeout so that a hang fails the test instead of the build.
 */
class RecursiveLoadTest {

  private static final Duration HANG = Duration.ofSeconds(10);

  @Test
  void aLoaderAskingForItsOwnKeyFailsNamingTheCache() {
    AtomicReference<MemoizedFunction<Integer, String>> self = new AtomicReference<>();
    MemoizedFunction<Integer, String> memo = Memoizer.named("self-ref")
        .build((Integer k) -> k == 0 ? "base" : self.get().apply(k) + "!");
    self.set(memo);
    assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> memo.apply(7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recursive load")
        .hasMessageContaining("'self-ref'"));
    // The failed load is not cached and does not keep the key locked.
    assertTimeoutPreemptively(HANG, () -> assertThat(memo.apply(0)).isEqualTo("base"));
    assertThat(memo.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void aCycleThroughOtherKeysOfTheSameCacheFailsToo() {
    AtomicReference<MemoizedFunction<Integer, String>> self = new AtomicReference<>();
    // 1 needs 2, 2 needs 3, 3 needs 1: a cycle on one thread.
    MemoizedFunction<Integer, String> memo = Memoizer.named("cycle")
        .build((Integer k) -> "v" + self.get().apply(k % 3 + 1));
    self.set(memo);
    assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> memo.apply(1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'cycle'"));
  }

  @Test
  void nonCyclicNestedLoadsOfOtherKeysStillWork() {
    AtomicReference<MemoizedFunction<Integer, Long>> self = new AtomicReference<>();
    MemoizedFunction<Integer, Long> fib = Memoizer.named("fib")
        .build((Integer n) -> n < 2 ? (long) n : self.get().apply(n - 1) + self.get().apply(n - 2));
    self.set(fib);
    assertTimeoutPreemptively(HANG, () -> assertThat(fib.apply(60)).isEqualTo(1548008755920L));
  }

  @Test
  void aBatchLoaderAskingForAKeyOfItsOwnBatchFailsAndReleasesEveryClaim() {
    AtomicReference<MemoizedFunction<Integer, String>> self = new AtomicReference<>();
    MemoizedFunction<Integer, String> memo = Memoizer.named("batch-self").build(
        (Integer k) -> "one" + k,
        keys -> {
          Map<Integer, String> values = new HashMap<>();
          for (Integer k : keys) {
            values.put(k, self.get().apply(k)); // asks for a key this batch is loading
          }
          return values;
        });
    self.set(memo);
    assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> memo.getAll(List.of(1, 2, 3)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'batch-self'"));
    assertTimeoutPreemptively(HANG, () -> assertThat(memo.apply(2)).isEqualTo("one2"));
  }

  @Test
  void getAllInsideALoaderThatAlreadyClaimedOtherKeysReleasesThem() {
    AtomicReference<MemoizedFunction<Integer, String>> self = new AtomicReference<>();
    MemoizedFunction<Integer, String> memo = Memoizer.named("getall-self")
        .build((Integer k) -> k == 5 ? String.join(",", self.get().getAll(List.of(6, 5)).values())
            : "v" + k);
    self.set(memo);
    assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> memo.apply(5))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'getall-self'"));
    // Key 6 was claimed by the inner getAll before it met key 5: it must not stay claimed.
    assertTimeoutPreemptively(HANG, () -> assertThat(memo.apply(6)).isEqualTo("v6"));
  }

  @Test
  void anAsyncLoaderAskingSynchronouslyForItsOwnKeyFails() {
    AtomicReference<AsyncMemoizedFunction<Integer, String>> self = new AtomicReference<>();
    AsyncMemoizedFunction<Integer, String> memo = Memoizer.named("async-self")
        .buildAsync((Integer k) -> self.get().apply(k).thenApply(v -> v + "!"));
    self.set(memo);
    assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> memo.apply(1).join())
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .rootCause().hasMessageContaining("'async-self'"));
  }

  @Test
  void anotherThreadWaitingForTheSameKeyIsNotMistakenForRecursion() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemoizedFunction<Integer, String> memo = Memoizer.named("shared").build((Integer k) -> {
      loading.countDown();
      await(release);
      return "v" + k;
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> first = pool.submit(() -> memo.apply(1));
      loading.await(10, TimeUnit.SECONDS);
      Future<String> second = pool.submit(() -> memo.apply(1));
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
      assertThat(memo.stats().loadSuccesses()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theThreadThatStartedAnAsyncLoadMayWaitForItLater() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    AsyncMemoizedFunction<Integer, String> memo = Memoizer.named("async-later")
        .buildAsync((Integer k) -> pending);
    CompletableFuture<String> a = memo.apply(1);
    CompletableFuture<String> b = memo.apply(1); // same thread, load still in flight: not recursive
    pending.complete("done");
    assertThat(a.join()).isEqualTo("done");
    assertThat(b.join()).isEqualTo("done");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
