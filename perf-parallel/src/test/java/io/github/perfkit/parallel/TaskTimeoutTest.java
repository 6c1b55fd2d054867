package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskTimeoutTest {

  @Test
  void aSlowCallIsInterruptedAndFailsAloneWhileTheOthersSucceed() {
    AtomicInteger interrupted = new AtomicInteger();
    Function<Integer, Integer> call = i -> {
      try {
        Thread.sleep(i % 4 == 0 ? 30_000 : 5); // every 4th input hangs
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw new IllegalStateException("interrupted", e);
      }
      return i;
    };
    List<Integer> input = IntStream.range(0, 40).boxed().toList();
    BulkResult<Integer> result;
    try (BoundedExecutor io = Parallel.io("timeouts").maxConcurrency(20).build()) {
      result = io.mapAll(input, Parallel.withTimeout(call, Duration.ofMillis(200)));
    }
    assertThat(result.failures()).hasSize(10);
    result.failures().forEach((index, failure) -> {
      assertThat(index % 4).isZero();
      assertThat(failure).isInstanceOf(TaskTimeoutException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
    });
    assertThat(interrupted).hasValue(10);
    assertThat(result.results().get(1)).isEqualTo(1);
  }

  @Test
  void aCallThatIgnoresTheInterruptStillTimesOut() {
    Function<String, String> stubborn = Parallel.withTimeout(s -> {
      long end = System.nanoTime() + 100_000_000L;
      while (System.nanoTime() < end) {
        Thread.onSpinWait(); // ignores interrupts
      }
      return s;
    }, Duration.ofMillis(10));
    assertThatThrownBy(() -> stubborn.apply("x")).isInstanceOf(TaskTimeoutException.class);
    assertThat(Thread.interrupted()).as("the timer's interrupt is cleared").isFalse();
  }

  @Test
  void noInterruptLeaksIntoTheNextTaskWhenTheTimerLosesTheRace() {
    // calls that last about as long as their timeout: the timer and the call race every time. A call
    // may see its own timer's interrupt at its start (a loaded machine can pause the thread for more
    // than the 1 ms timeout before the call begins); that call must then end in a timeout. A leaked
    // interrupt is one a call sees although it finished in time: it came from an earlier call.
    Set<Integer> startedInterrupted = ConcurrentHashMap.newKeySet();
    Function<Integer, Integer> racing = Parallel.withTimeout(i -> {
      if (Thread.currentThread().isInterrupted()) {
        startedInterrupted.add(i);
      }
      long end = System.nanoTime() + 1_000_000L;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      return i;
    }, Duration.ofMillis(1));
    BulkResult<Integer> result;
    try (BoundedExecutor one = Parallel.io("racing").maxConcurrency(1).platformThreads().build()) {
      result = one.mapAll(IntStream.range(0, 2_000).boxed().toList(), racing);
    }
    assertThat(result.results()).hasSize(2_000);
    assertThat(result.failures().values()).allMatch(f -> f instanceof TaskTimeoutException);
    assertThat(startedInterrupted).as("calls that saw an interrupt yet finished in time")
        .allMatch(i -> result.failures().containsKey(i));
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> Parallel.withTimeout(null, Duration.ofSeconds(1)))
        .hasMessageContaining("fn");
    assertThatThrownBy(() -> Parallel.withTimeout(s -> s, Duration.ZERO))
        .hasMessageContaining("timeout");
  }
}
