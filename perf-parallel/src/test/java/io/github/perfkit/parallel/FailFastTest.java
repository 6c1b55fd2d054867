package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail-fast bulk operations throw the first failure as soon as it happens, whatever its position:
 * a slow call before it in input order does not hold it back, and is interrupted.
 */
class FailFastTest {

  private static final int ITEMS = 1_000;
  private static final int SLOW = 490;
  private static final int FAILING = 500;

  /** Released when the test ends: a slow call blocks until then unless it is interrupted. */
  private final CountDownLatch testOver = new CountDownLatch(1);

  @AfterEach
  void releaseSlowCalls() {
    testOver.countDown();
  }

  /** The fail-fast bulk operations, each run to completion on the calling thread. */
  enum Bulk {
    MAP {
      @Override
      void run(BoundedExecutor e, List<Integer> items, Function<Integer, Integer> fn) {
        e.map(items, fn);
      }
    },
    MAP_WITH_TIMEOUT {
      @Override
      void run(BoundedExecutor e, List<Integer> items, Function<Integer, Integer> fn) {
        e.map(items, fn, Duration.ofSeconds(20)); // far beyond the bound the tests assert
      }
    },
    FOR_EACH_ORDERED {
      @Override
      void run(BoundedExecutor e, List<Integer> items, Function<Integer, Integer> fn) {
        e.forEachOrdered(items.iterator(), fn, 64, r -> { });
      }
    };

    abstract void run(BoundedExecutor e, List<Integer> items, Function<Integer, Integer> fn);
  }

  static Stream<Arguments> bulkOperationsOnEachExecutor() {
    return Stream.of(Bulk.values()).flatMap(bulk -> Stream.of(
        Arguments.of(bulk, "io"), Arguments.of(bulk, "io-platform"), Arguments.of(bulk, "cpu")));
  }

  private static BoundedExecutor executor(String kind) {
    return switch (kind) {
      case "io" -> Parallel.io("fail-io").maxConcurrency(64).build();
      case "io-platform" -> Parallel.io("fail-platform").maxConcurrency(64).platformThreads().build();
      default -> Parallel.cpu("fail-cpu").maxConcurrency(64).build();
    };
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("bulkOperationsOnEachExecutor")
  void aLaterFailureIsThrownAtOnceWhileAnEarlierCallIsSlowAndTheSlowCallIsInterrupted(Bulk bulk,
      String kind) throws Exception {
    IllegalStateException boom = new IllegalStateException("item 500 failed");
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowInterrupted = new CountDownLatch(1);
    AtomicInteger startedAfterThrow = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean callerTold = new AtomicBoolean();
    Function<Integer, Integer> fn = i -> {
      if (callerTold.get()) {
        startedAfterThrow.incrementAndGet();
      }
      if (i == SLOW) {
        slowStarted.countDown();
        try {
          testOver.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          slowInterrupted.countDown();
        }
      } else if (i == FAILING) {
        try {
          slowStarted.await(10, TimeUnit.SECONDS); // fail only while the slow call runs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        failed.incrementAndGet();
        throw boom;
      }
      return i;
    };
    List<Integer> items = IntStream.range(0, ITEMS).boxed().toList();
    Throwable thrown;
    long millis;
    try (BoundedExecutor executor = executor(kind)) {
      long start = System.nanoTime();
      thrown = catchThrowable(() -> bulk.run(executor, items, fn));
      callerTold.set(true);
      millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(slowInterrupted.await(10, TimeUnit.SECONDS))
          .as("the slow call was interrupted").isTrue();
    }
    assertThat(thrown).as("the failure, unchanged").isSameAs(boom);
    // the slow call would take 30 s; a generous bound that only a fail-fast map can meet
    assertThat(millis).isLessThan(10_000);
    // once the caller has the failure, nothing new is submitted: at most the calls a worker had
    // already taken (64 wide) may still enter the function. (Counting from the moment of the
    // failure instead raced the fast calls that finish before the map sees it: 77 once in CI.)
    assertThat(startedAfterThrow.get()).isLessThanOrEqualTo(64);
    assertThat(failed.get()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("bulkOperationsOnEachExecutor")
  void aFailureStopsSubmittingAndCancelsTheCallsNotStarted(Bulk bulk, String kind) {
    IllegalArgumentException boom = new IllegalArgumentException("item 5 failed");
    List<Integer> started = new ArrayList<>();
    AtomicInteger interrupted = new AtomicInteger();
    Function<Integer, Integer> fn = i -> {
      synchronized (started) {
        started.add(i);
      }
      if (i == 5) {
        throw boom;
      }
      try {
        testOver.await(30, TimeUnit.SECONDS); // every other call is slow
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
      return i;
    };
    Throwable thrown;
    long millis;
    try (BoundedExecutor executor = executor(kind)) {
      long start = System.nanoTime();
      thrown = catchThrowable(
          () -> bulk.run(executor, IntStream.range(0, ITEMS).boxed().toList(), fn));
      millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    } // close() waits for every call: the cancelled ones end at once when interrupted
    assertThat(thrown).isSameAs(boom);
    assertThat(millis).isLessThan(10_000); // the slow calls would take 30 s
    synchronized (started) {
      // one window of calls was handed to the executor, and no more after the failure
      assertThat(started).hasSizeLessThanOrEqualTo(64);
      assertThat(interrupted).as("every slow call that started was interrupted")
          .hasValue(started.size() - 1);
    }
  }
}
