package io.github.perfkit.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** BulkRefresher on its own: a manual flush timer, a recording batch loader, exact outcomes. */
class BulkRefresherTest {

  private static final Object ABSENT = new Object();
  private static final long WINDOW = 5_000_000L;

  /** The flushes scheduled so far and their delays; the test runs them by hand. */
  private final List<Runnable> flushes = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final List<Set<String>> batches = new ArrayList<>();

  private BulkRefresher<String> refresher(Function<Set<String>, Map<String, ?>> loader) {
    return new BulkRefresher<>(keys -> {
      batches.add(new LinkedHashSet<>(keys));
      return loader.apply(keys);
    }, WINDOW, (flush, delayNanos) -> {
      flushes.add(flush);
      delays.add(delayNanos);
    }, v -> v == null ? ABSENT : v);
  }

  private static Map<String, Object> upper(Set<String> keys) {
    Map<String, Object> out = new HashMap<>();
    keys.forEach(k -> out.put(k, k.toUpperCase()));
    return out;
  }

  @Test
  void refreshesDueInOneWindowGoThroughOneBatchCall() {
    BulkRefresher<String> bulk = refresher(BulkRefresherTest::upper);
    CompletableFuture<Object> a = bulk.enqueue("a");
    CompletableFuture<Object> b = bulk.enqueue("b");
    CompletableFuture<Object> againA = bulk.enqueue("a");
    CompletableFuture<Object> c = bulk.enqueue("c");
    assertThat(flushes).hasSize(1); // the first refresh of the window schedules the flush
    assertThat(delays).containsExactly(WINDOW);
    assertThat(againA).isSameAs(a);
    assertThat(batches).isEmpty(); // nothing loads before the window ends
    assertThat(a).isNotDone();

    flushes.get(0).run();

    assertThat(batches).containsExactly(Set.of("a", "b", "c"));
    assertThat(new ArrayList<>(batches.get(0))).containsExactly("a", "b", "c"); // arrival order
    assertThat(a.join()).isEqualTo("A");
    assertThat(b.join()).isEqualTo("B");
    assertThat(c.join()).isEqualTo("C");
  }

  @Test
  void theNextRefreshAfterAFlushStartsANewWindowAndBatch() {
    BulkRefresher<String> bulk = refresher(BulkRefresherTest::upper);
    bulk.enqueue("a");
    bulk.enqueue("b");
    flushes.get(0).run();
    CompletableFuture<Object> later = bulk.enqueue("a");
    CompletableFuture<Object> d = bulk.enqueue("d");
    assertThat(flushes).hasSize(2);
    assertThat(later).isNotDone();
    flushes.get(1).run();
    assertThat(batches).containsExactly(Set.of("a", "b"), Set.of("a", "d"));
    assertThat(later.join()).isEqualTo("A");
    assertThat(d.join()).isEqualTo("D");
    flushes.get(1).run(); // a flush with nothing pending calls nothing
    assertThat(batches).hasSize(2);
  }

  @Test
  void aKeyTheBatchLeftOutCompletesAsAbsent() {
    BulkRefresher<String> bulk = refresher(keys -> Map.of("a", "A"));
    CompletableFuture<Object> a = bulk.enqueue("a");
    CompletableFuture<Object> gone = bulk.enqueue("gone");
    flushes.get(0).run();
    assertThat(a.join()).isEqualTo("A");
    assertThat(gone.join()).isSameAs(ABSENT);

    BulkRefresher<String> nothing = refresher(keys -> null);
    CompletableFuture<Object> x = nothing.enqueue("x");
    flushes.get(1).run();
    assertThat(x.join()).isSameAs(ABSENT);
  }

  @Test
  void aFailingBatchCallFailsEveryRefreshOfItsWindowWithTheSameException() {
    IllegalStateException boom = new IllegalStateException("downstream is down");
    BulkRefresher<String> bulk = refresher(keys -> {
      throw boom;
    });
    CompletableFuture<Object> a = bulk.enqueue("a");
    CompletableFuture<Object> b = bulk.enqueue("b");
    flushes.get(0).run();
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThat(a.handle((v, t) -> t).join()).isSameAs(boom);
    assertThat(b.handle((v, t) -> t).join()).isSameAs(boom);
    assertThat(batches).containsExactly(Set.of("a", "b"));

    CompletableFuture<Object> retried = bulk.enqueue("a"); // a failure does not stick
    assertThat(flushes).hasSize(2);
    assertThat(retried).isNotDone();
  }
}
