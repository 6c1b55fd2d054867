package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GuardTest {

  @Test
  void theRateLimitHoldsInEveryWindow() {
    int perPeriod = 10;
    long periodNanos = TimeUnit.MILLISECONDS.toNanos(100);
    long created = System.nanoTime();
    Guard guard = Guard.named("rated").rateLimit(perPeriod, Duration.ofMillis(100)).build();
    ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
    Function<Integer, Integer> call = guard.wrap(i -> {
      starts.add(System.nanoTime());
      return i;
    });
    int calls = 60;
    try (BoundedExecutor io = Parallel.io("rated").maxConcurrency(16).build()) {
      assertThat(io.map(IntStream.range(0, calls).boxed().toList(), call))
          .containsExactlyElementsOf(IntStream.range(0, calls).boxed().toList());
    }
    List<Long> sorted = new ArrayList<>(starts);
    Collections.sort(sorted);
    long elapsed = sorted.get(sorted.size() - 1) - created;
    // 60 calls at 10 per 100 ms need at least 5 refreshes after the first window
    assertThat(elapsed).isGreaterThanOrEqualTo(5 * periodNanos);
    // counted per window: by the end of window k, at most (k + 1) * 10 calls have started
    // (the limiter's windows start when it is created, at or after 'created')
    for (long start : sorted) {
      long windowsSoFar = (start - created) / periodNanos + 1;
      long startedByThen = sorted.stream().filter(t -> t <= start).count();
      assertThat(startedByThen).isLessThanOrEqualTo((windowsSoFar + 1) * perPeriod);
    }
    // and no sliding 100 ms span holds more than two windows' worth
    for (int i = 0; i < sorted.size(); i++) {
      long from = sorted.get(i);
      long inSpan = sorted.stream().filter(t -> t >= from && t < from + periodNanos).count();
      assertThat(inSpan).isLessThanOrEqualTo(2L * perPeriod);
    }
  }

  @Test
  void retriesWithExponentialBackoffThenSucceeds() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<Long> times = Collections.synchronizedList(new ArrayList<>());
    Guard guard = Guard.named("flaky").retry(4, Duration.ofMillis(20)).jitter(0.25).build();
    String result = guard.call(() -> {
      times.add(System.nanoTime());
      if (attempts.incrementAndGet() < 3) {
        throw new IOException("connection reset");
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
    long firstGap = times.get(1) - times.get(0);
    long secondGap = times.get(2) - times.get(1);
    // waits of 20 ms then 40 ms, each +-25%: at least 15 ms and 30 ms
    assertThat(firstGap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(15));
    assertThat(secondGap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    assertThat(guard.retry().orElseThrow().getMetrics()
        .getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void theLastFailureReachesTheCallerUnchanged() {
    AtomicInteger attempts = new AtomicInteger();
    UncheckedIOException boom = new UncheckedIOException(new IOException("down"));
    Function<String, String> call = Guard.named("down").retry(3, Duration.ofMillis(1)).build()
        .wrap(s -> {
          attempts.incrementAndGet();
          throw boom;
        });
    assertThatThrownBy(() -> call.apply("x")).isSameAs(boom);
    assertThat(attempts).hasValue(3);
  }

  @Test
  void retryOnNarrowsWhatIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    Function<String, String> call = Guard.named("narrow").retry(5, Duration.ofMillis(1))
        .retryOn(t -> t instanceof UncheckedIOException).build()
        .wrap(s -> {
          attempts.incrementAndGet();
          throw new IllegalArgumentException("bad request: not worth retrying");
        });
    assertThatThrownBy(() -> call.apply("x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aRateLimitTimeoutIsNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    Guard guard = Guard.named("strict").rateLimit(1, Duration.ofSeconds(30))
        .rateLimitWait(Duration.ZERO).retry(5, Duration.ofMillis(1)).build();
    Function<String, String> call = guard.wrap(s -> {
      attempts.incrementAndGet();
      return s;
    });
    assertThat(call.apply("first")).isEqualTo("first");
    assertThatThrownBy(() -> call.apply("second")).isInstanceOf(RequestNotPermitted.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void oneConcurrencyLimitIsSharedByTwoExecutors() throws Exception {
    ConcurrencyLimit downstream = ConcurrencyLimit.fixed("shared-db", 3);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Function<Integer, Integer> call = i -> {
      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        concurrent.decrementAndGet();
      }
      return i;
    };
    List<Integer> input = IntStream.range(0, 60).boxed().toList();
    try (BoundedExecutor web = Parallel.io("web").maxConcurrency(20).limit(downstream).build();
        BoundedExecutor jobs = Parallel.io("jobs").maxConcurrency(20).limit(downstream).build()) {
      Thread other = new Thread(() -> assertThat(jobs.map(input, call)).isEqualTo(input));
      other.start();
      assertThat(web.map(input, call)).isEqualTo(input);
      other.join();
    }
    assertThat(peak.get()).isEqualTo(3);
    assertThat(downstream.inFlight()).isZero();
  }

  @Test
  void aGuardCarriesTheLimitToo() throws Exception {
    ConcurrencyLimit limit = ConcurrencyLimit.fixed("one", 1);
    Guard guard = Guard.named("one").concurrencyLimit(limit).build();
    assertThat(guard.call(() -> limit.inFlight())).isEqualTo(1);
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> Guard.named(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> Guard.named("g").rateLimit(0, Duration.ofSeconds(1)))
        .hasMessageContaining("calls");
    assertThatThrownBy(() -> Guard.named("g").rateLimit(1, Duration.ZERO))
        .hasMessageContaining("period");
    assertThatThrownBy(() -> Guard.named("g").retry(0, Duration.ofMillis(1)))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> Guard.named("g").retry(2, Duration.ofMillis(-1)))
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> Guard.named("g").jitter(1.0)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> Guard.named("g").retry(2, Duration.ofSeconds(5))
        .maxBackoff(Duration.ofSeconds(1)).build()).hasMessageContaining("maxBackoff");
    Guard guard = Guard.named("g").build();
    assertThatThrownBy(() -> guard.wrap((Function<String, String>) null))
        .hasMessageContaining("fn");
  }
}
