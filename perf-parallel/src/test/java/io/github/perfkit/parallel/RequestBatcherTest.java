package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestBatcherTest {

  /** Time by hand: scheduled tasks run when the test says the window has elapsed. */
  static final class ManualDelayer implements Delayer {
    final List<Runnable> scheduled = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
      scheduled.add(task);
      delays.add(delay);
    }

    synchronized void elapse() {
      List<Runnable> due = new ArrayList<>(scheduled);
      scheduled.clear();
      due.forEach(Runnable::run);
    }
  }

  private final List<Set<Integer>> calls = new CopyOnWriteArrayList<>();
  private final ManualDelayer clock = new ManualDelayer();

  private RequestBatcher<Integer, String> batcher(int size) {
    return RequestBatcher.<Integer, String>builder("users", keys -> {
      calls.add(Set.copyOf(keys));
      Map<Integer, String> values = new HashMap<>();
      keys.stream().filter(k -> k >= 0).forEach(k -> values.put(k, "user" + k));
      return values;
    }).maxBatchSize(size).maxDelay(Duration.ofMillis(5)).delayer(clock).executor(Runnable::run)
        .build();
  }

  @Test
  void aFullBatchIsSentAtOnce() throws Exception {
    try (RequestBatcher<Integer, String> users = batcher(3)) {
      CompletableFuture<String> a = users.load(1);
      CompletableFuture<String> b = users.load(2);
      assertThat(calls).isEmpty();
      CompletableFuture<String> c = users.load(3);
      assertThat(calls).containsExactly(Set.of(1, 2, 3));
      assertThat(List.of(a.get(), b.get(), c.get())).containsExactly("user1", "user2", "user3");
      clock.elapse(); // the first key's timer fires late: nothing more is sent
      assertThat(calls).hasSize(1);
    }
  }

  @Test
  void aPartialBatchIsSentWhenItsWindowElapses() throws Exception {
    try (RequestBatcher<Integer, String> users = batcher(100)) {
      CompletableFuture<String> a = users.load(1);
      CompletableFuture<String> b = users.load(2);
      assertThat(clock.delays).containsExactly(Duration.ofMillis(5)); // one timer per batch
      assertThat(a).isNotDone();
      clock.elapse();
      assertThat(calls).containsExactly(Set.of(1, 2));
      assertThat(a.get()).isEqualTo("user1");
      assertThat(b.get()).isEqualTo("user2");
      users.load(3);
      clock.elapse();
      assertThat(calls).containsExactly(Set.of(1, 2), Set.of(3));
      assertThat(users.batchCount()).isEqualTo(2);
    }
  }

  @Test
  void aKeyAskedTwiceInOneWindowIsLoadedOnce() throws Exception {
    try (RequestBatcher<Integer, String> users = batcher(100)) {
      CompletableFuture<String> first = users.load(7);
      CompletableFuture<String> second = users.load(7);
      clock.elapse();
      assertThat(calls).containsExactly(Set.of(7));
      assertThat(first.get()).isEqualTo(second.get()).isEqualTo("user7");
      assertThat(users.requestCount()).isEqualTo(2);
      assertThat(users.coalescedCount()).isEqualTo(1);
    }
  }

  @Test
  void oneCallersMissingValueDoesNotFailTheOthers() throws Exception {
    try (RequestBatcher<Integer, String> users = batcher(100)) {
      CompletableFuture<String> good = users.load(1);
      CompletableFuture<String> missing = users.load(-1);
      clock.elapse();
      assertThat(good.get()).isEqualTo("user1");
      assertThatThrownBy(missing::get).hasCauseInstanceOf(MissingResultException.class)
          .hasMessageContaining("no value for this key (batch of 2 keys)")
          .hasMessageNotContaining("-1");
    }
    try (RequestBatcher<Integer, String> immediate = batcher(1)) { // a batch of one leaves at once
      assertThatThrownBy(() -> immediate.get(-1)).isInstanceOf(MissingResultException.class);
      assertThat(immediate.get(5)).isEqualTo("user5");
    }
  }

  @Test
  void aFailedBatchCallFailsEveryCallerOfThatBatchWithTheSameException() {
    IllegalStateException down = new IllegalStateException("downstream is down");
    try (RequestBatcher<Integer, String> users = RequestBatcher.<Integer, String>builder("down",
        keys -> {
          throw down;
        }).delayer(clock).executor(Runnable::run).build()) {
      CompletableFuture<String> a = users.load(1);
      CompletableFuture<String> b = users.load(2);
      clock.elapse();
      assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCause(down);
      assertThatThrownBy(b::get).isInstanceOf(ExecutionException.class).hasCause(down);
    }
  }

  @Test
  void closeSendsWhatIsPendingAndThenRefusesNewKeys() throws Exception {
    RequestBatcher<Integer, String> users = batcher(100);
    CompletableFuture<String> a = users.load(1);
    users.close();
    assertThat(a.get()).isEqualTo("user1");
    assertThatIllegalStateException().isThrownBy(() -> users.load(2))
        .withMessageContaining("'users' is closed");
  }

  @Test
  void concurrentCallersAllGetTheirOwnValueAndEveryKeyIsInExactlyOneBatch() throws Exception {
    List<Set<Integer>> batches = new CopyOnWriteArrayList<>();
    int threads = 16;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RequestBatcher<Integer, Integer> squares = RequestBatcher.<Integer, Integer>builder(
        "squares", keys -> {
          batches.add(Set.copyOf(keys));
          Map<Integer, Integer> values = new HashMap<>();
          keys.forEach(k -> values.put(k, k * k));
          return values;
        }).maxBatchSize(64).maxDelay(Duration.ofMillis(2)).build()) {
      List<Future<Boolean>> ok = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        ok.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            int key = base + i;
            if (squares.get(key) != key * key) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : ok) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(batches.stream().mapToInt(Set::size).sum()).isEqualTo(threads * perThread);
      assertThat(batches).allMatch(b -> b.size() <= 64);
      assertThat(squares.batchCount()).isEqualTo(batches.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RequestBatcher.builder("x", keys -> Map.of()).maxBatchSize(0))
        .withMessage("maxBatchSize must be positive but was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RequestBatcher.builder("x", keys -> Map.of()).maxDelay(Duration.ZERO))
        .withMessageContaining("maxDelay must be positive");
    assertThatThrownBy(() -> RequestBatcher.builder("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("loader must not be null");
  }
}
