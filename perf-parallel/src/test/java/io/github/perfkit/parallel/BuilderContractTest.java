package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder contract (issue 14 item 2) for every builder of perf-parallel: {@link Parallel}'s
 * io/cpu builders, {@link Guard.Builder}, the adaptive {@link ConcurrencyLimit} builders,
 * {@link RequestBatcher.Builder}, and the wither-style {@link ExecutorMetrics}.
 */
class BuilderContractTest {

  /** A setting of some builder: how to start the builder, and one valid call of the setter. */
  private static <B> Arguments setting(String builder, String name, Supplier<B> start,
      Consumer<B> set) {
    return Arguments.of(builder + "." + name, name, start, set);
  }

  static Stream<Arguments> settings() {
    Supplier<Parallel.Builder> io = () -> Parallel.io("once");
    Supplier<Parallel.Builder> cpu = () -> Parallel.cpu("once");
    Supplier<Guard.Builder> guard = () -> Guard.named("once");
    Supplier<ConcurrencyLimit.AimdBuilder> aimd = () -> ConcurrencyLimit.aimd("once");
    Supplier<ConcurrencyLimit.GradientBuilder> gradient = () -> ConcurrencyLimit.gradient("once");
    Supplier<RequestBatcher.Builder<Integer, String>> batcher =
        () -> RequestBatcher.builder("once", keys -> Map.of());
    return Stream.of(
        setting("io", "maxConcurrency", io, b -> b.maxConcurrency(2)),
        setting("io", "queueCapacity", io, b -> b.queueCapacity(2)),
        setting("io", "backpressure", io, b -> b.backpressure(Backpressure.REJECT)),
        setting("io", "platformThreads", io, Parallel.Builder::platformThreads),
        setting("io", "limit", io, b -> b.limit(ConcurrencyLimit.fixed("l", 1))),
        setting("cpu", "maxConcurrency", cpu, b -> b.maxConcurrency(2)),
        setting("cpu", "queueCapacity", cpu, b -> b.queueCapacity(2)),
        setting("guard", "rateLimit", guard, b -> b.rateLimit(1, Duration.ofSeconds(1))),
        setting("guard", "rateLimitWait", guard, b -> b.rateLimitWait(Duration.ZERO)),
        setting("guard", "rateLimiter", guard, b -> b.rateLimiter(RateLimiter.ofDefaults("r"))),
        setting("guard", "retry", guard, b -> b.retry(2, Duration.ofMillis(1))),
        setting("guard", "retry(Retry)", guard, b -> b.retry(Retry.ofDefaults("r"))),
        setting("guard", "backoffMultiplier", guard, b -> b.backoffMultiplier(3)),
        setting("guard", "jitter", guard, b -> b.jitter(0.1)),
        setting("guard", "maxBackoff", guard, b -> b.maxBackoff(Duration.ofSeconds(1))),
        setting("guard", "retryOn", guard, b -> b.retryOn(t -> true)),
        setting("guard", "concurrencyLimit", guard,
            b -> b.concurrencyLimit(ConcurrencyLimit.fixed("l", 1))),
        setting("aimd", "floor", aimd, b -> b.floor(2)),
        setting("aimd", "ceiling", aimd, b -> b.ceiling(20)),
        setting("aimd", "initial", aimd, b -> b.initial(5)),
        setting("aimd", "dropOn", aimd, b -> b.dropOn(t -> true)),
        setting("aimd", "latencyThreshold", aimd, b -> b.latencyThreshold(Duration.ofMillis(5))),
        setting("aimd", "backoffRatio", aimd, b -> b.backoffRatio(0.5)),
        setting("gradient", "floor", gradient, b -> b.floor(2)),
        setting("gradient", "tolerance", gradient, b -> b.tolerance(2)),
        setting("gradient", "window", gradient, b -> b.window(10)),
        setting("batcher", "maxBatchSize", batcher, b -> b.maxBatchSize(10)),
        setting("batcher", "maxDelay", batcher, b -> b.maxDelay(Duration.ofMillis(1))),
        setting("batcher", "delayer", batcher, b -> b.delayer((task, delay) -> { })),
        setting("batcher", "executor", batcher, b -> b.executor(Runnable::run)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  <B> void aSettingMayBeSetOnce(String label, String name, Supplier<B> start, Consumer<B> set) {
    B builder = start.get();
    set.accept(builder);
    assertThatIllegalStateException().isThrownBy(() -> set.accept(builder))
        .withMessage(name + " was already set on this builder (each setting may be set once)");
  }

  private static Arguments bad(ThrowingConsumer<Void> call, Class<? extends Throwable> type,
      String message) {
    return Arguments.of(message, call, type);
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad(x -> Parallel.io(null), NullPointerException.class, "name must not be null"),
        bad(x -> Parallel.cpu(" "), IllegalArgumentException.class, "name must not be blank"),
        bad(x -> Parallel.io("x").maxConcurrency(0), IllegalArgumentException.class,
            "maxConcurrency must be positive but was 0"),
        bad(x -> Parallel.cpu("x").maxConcurrency(40_000), IllegalArgumentException.class,
            "maxConcurrency must be in [1, 32767] but was 40000"),
        bad(x -> Parallel.io("x").queueCapacity(-1), IllegalArgumentException.class,
            "queueCapacity must not be negative but was -1"),
        bad(x -> Parallel.io("x").backpressure(null), NullPointerException.class,
            "backpressure must not be null"),
        bad(x -> Parallel.io("x").limit(null), NullPointerException.class,
            "limit must not be null"),
        bad(x -> Parallel.withTimeout(s -> s, Duration.ZERO), IllegalArgumentException.class,
            "timeout must be positive but was PT0S"),
        bad(x -> Guard.named(null), NullPointerException.class, "name must not be null"),
        bad(x -> Guard.named("g").rateLimit(0, Duration.ofSeconds(1)),
            IllegalArgumentException.class, "calls must be positive but was 0"),
        bad(x -> Guard.named("g").rateLimit(1, null), NullPointerException.class,
            "period must not be null"),
        bad(x -> Guard.named("g").rateLimitWait(Duration.ofMillis(-1)),
            IllegalArgumentException.class, "rateLimitWait must not be negative but was PT-0.001S"),
        bad(x -> Guard.named("g").rateLimiter(null), NullPointerException.class,
            "rateLimiter must not be null"),
        bad(x -> Guard.named("g").retry(0, Duration.ofMillis(1)), IllegalArgumentException.class,
            "maxAttempts must be positive but was 0"),
        bad(x -> Guard.named("g").retry(2, Duration.ZERO), IllegalArgumentException.class,
            "initialBackoff must be positive but was PT0S"),
        bad(x -> Guard.named("g").retry((Retry) null), NullPointerException.class,
            "retry must not be null"),
        bad(x -> Guard.named("g").backoffMultiplier(0.5), IllegalArgumentException.class,
            "backoffMultiplier must be in [1.0, 100.0] but was 0.5"),
        bad(x -> Guard.named("g").jitter(1), IllegalArgumentException.class,
            "jitter must be in [0, 1) but was 1.0"),
        bad(x -> Guard.named("g").maxBackoff(Duration.ZERO), IllegalArgumentException.class,
            "maxBackoff must be positive but was PT0S"),
        bad(x -> Guard.named("g").retryOn(null), NullPointerException.class,
            "retryOn must not be null"),
        bad(x -> Guard.named("g").concurrencyLimit(null), NullPointerException.class,
            "limit must not be null"),
        bad(x -> ConcurrencyLimit.fixed("l", 0), IllegalArgumentException.class,
            "limit must be positive but was 0"),
        bad(x -> ConcurrencyLimit.aimd(""), IllegalArgumentException.class,
            "name must not be blank"),
        bad(x -> ConcurrencyLimit.aimd("l").floor(0), IllegalArgumentException.class,
            "floor must be positive but was 0"),
        bad(x -> ConcurrencyLimit.gradient("l").ceiling(-1), IllegalArgumentException.class,
            "ceiling must be positive but was -1"),
        bad(x -> ConcurrencyLimit.gradient("l").initial(0), IllegalArgumentException.class,
            "initial must be positive but was 0"),
        bad(x -> ConcurrencyLimit.aimd("l").dropOn(null), NullPointerException.class,
            "dropOn must not be null"),
        bad(x -> ConcurrencyLimit.aimd("l").latencyThreshold(Duration.ZERO),
            IllegalArgumentException.class, "latencyThreshold must be positive but was PT0S"),
        bad(x -> ConcurrencyLimit.aimd("l").backoffRatio(1), IllegalArgumentException.class,
            "backoffRatio must be in (0, 1) but was 1.0"),
        bad(x -> ConcurrencyLimit.gradient("l").tolerance(0.9), IllegalArgumentException.class,
            "tolerance must be in [1, 100) but was 0.9"),
        bad(x -> ConcurrencyLimit.gradient("l").window(0), IllegalArgumentException.class,
            "window must be positive but was 0"),
        bad(x -> RequestBatcher.builder("b", null), NullPointerException.class,
            "loader must not be null"),
        bad(x -> RequestBatcher.builder(null, keys -> Map.of()), NullPointerException.class,
            "name must not be null"),
        bad(x -> RequestBatcher.builder("b", keys -> Map.of()).maxBatchSize(0),
            IllegalArgumentException.class, "maxBatchSize must be positive but was 0"),
        bad(x -> RequestBatcher.builder("b", keys -> Map.of()).maxDelay(Duration.ofSeconds(-1)),
            IllegalArgumentException.class, "maxDelay must be positive but was PT-1S"),
        bad(x -> RequestBatcher.builder("b", keys -> Map.of()).delayer(null),
            NullPointerException.class, "delayer must not be null"),
        bad(x -> RequestBatcher.builder("b", keys -> Map.of()).executor(null),
            NullPointerException.class, "executor must not be null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void aBadArgumentFailsInTheSetterNamingTheParameter(String message, ThrowingConsumer<Void> call,
      Class<? extends Throwable> type) {
    assertThatThrownBy(() -> call.accept(null)).isExactlyInstanceOf(type).hasMessage(message);
  }

  @Test
  void aRefusedArgumentLeavesTheSettingUnset() {
    Parallel.Builder builder = Parallel.io("retry-setting");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.maxConcurrency(0));
    try (BoundedExecutor io = builder.maxConcurrency(3).build()) {
      assertThat(io.maxConcurrency()).isEqualTo(3);
    }
  }

  @Test
  void rulesAcrossSettingsAreCheckedByBuild() {
    assertThatIllegalStateException().isThrownBy(() -> Parallel.cpu("c").platformThreads().build())
        .withMessage("platformThreads applies to I/O executors only (Parallel.io): a CPU executor "
            + "always runs on platform threads, executor 'c'");
    assertThatIllegalStateException().isThrownBy(() -> Guard.named("g")
            .retry(2, Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build())
        .withMessage("maxBackoff must be >= initialBackoff but was PT1S < PT5S on guard 'g'");
    assertThatIllegalStateException().isThrownBy(() -> Guard.named("g").jitter(0.2).build())
        .withMessage("jitter needs retry(maxAttempts, initialBackoff) on guard 'g'; it would be "
            + "ignored");
    assertThatIllegalStateException().isThrownBy(() -> Guard.named("g")
            .rateLimit(1, Duration.ofSeconds(1)).rateLimiter(RateLimiter.ofDefaults("r")).build())
        .withMessage("rateLimit(calls, period) and rateLimiter(RateLimiter) both set for guard "
            + "'g': choose one");
    assertThatIllegalStateException().isThrownBy(() -> ConcurrencyLimit.aimd("l").floor(10)
            .ceiling(5).build())
        .withMessage("ceiling must be >= floor but was 5 < 10 on limit 'l'");
    assertThatIllegalStateException().isThrownBy(() -> ConcurrencyLimit.gradient("l").floor(3)
            .ceiling(2).build())
        .withMessage("ceiling must be >= floor but was 2 < 3 on limit 'l'");
  }

  @Test
  void executorsBuiltTwiceAreIndependentAndLaterSettingsDoNotReachThem() {
    Parallel.Builder builder = Parallel.io("twice");
    List<BoundedExecutor> built = new ArrayList<>();
    try {
      built.add(builder.build());
      builder.maxConcurrency(3).queueCapacity(0);
      built.add(builder.build());
      BoundedExecutor first = built.get(0);
      BoundedExecutor second = built.get(1);
      assertThat(first).isNotSameAs(second);
      assertThat(first.maxConcurrency()).isEqualTo(64); // the default, as built
      assertThat(second.maxConcurrency()).isEqualTo(3);
      second.close();
      assertThat(first.map(List.of(1, 2, 3), x -> x * 2)).containsExactly(2, 4, 6);
    } finally {
      built.forEach(BoundedExecutor::close);
    }
  }

  @Test
  void guardsBuiltTwiceHaveTheirOwnRateLimiterAndRetry() {
    Guard.Builder builder = Guard.named("twice").rateLimit(5, Duration.ofSeconds(1));
    Guard first = builder.build();
    builder.retry(3, Duration.ofMillis(1)).concurrencyLimit(ConcurrencyLimit.fixed("l", 1));
    Guard second = builder.build();
    assertThat(first.rateLimiter().orElseThrow()).isNotSameAs(second.rateLimiter().orElseThrow());
    assertThat(first.retry()).isEmpty();
    assertThat(first.concurrencyLimit()).isEmpty();
    assertThat(second.retry()).isPresent();
    assertThat(second.concurrencyLimit()).isPresent();
  }

  @Test
  void limitsBuiltTwiceCountTheirOwnPermits() throws Exception {
    ConcurrencyLimit.GradientBuilder builder = ConcurrencyLimit.gradient("twice").initial(2);
    ConcurrencyLimit first = builder.build();
    builder.ceiling(500);
    ConcurrencyLimit second = builder.build();
    ConcurrencyLimit.Permit held = first.acquire();
    assertThat(first.inFlight()).isEqualTo(1);
    assertThat(second.inFlight()).isZero();
    assertThat(second.limit()).isEqualTo(2);
    held.release();
    ConcurrencyLimit aimd = ConcurrencyLimit.aimd("aimd").initial(1).build();
    assertThat(aimd.tryAcquire()).isPresent();
    assertThat(aimd.tryAcquire()).isEmpty();
    assertThat(ConcurrencyLimit.aimd("aimd").initial(1).build().tryAcquire()).isPresent();
  }

  @Test
  void batchersBuiltTwiceBatchIndependently() throws Exception {
    List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    RequestBatcher.Builder<Integer, String> builder = RequestBatcher.<Integer, String>builder("b",
        keys -> {
          batchSizes.add(keys.size());
          Map<Integer, String> out = new java.util.HashMap<>();
          keys.forEach(k -> out.put(k, "v" + k));
          return out;
        }).executor(Runnable::run).delayer((task, delay) -> { }); // no timer: size decides
    try (RequestBatcher<Integer, String> first = builder.maxBatchSize(2).build()) {
      CompletableFuture<String> a = first.load(1);
      assertThat(a).isNotDone();
      CompletableFuture<String> b = first.load(2); // the second key fills the batch of two
      assertThat(a.join() + b.join()).isEqualTo("v1v2");
      try (RequestBatcher<Integer, String> second = builder.build()) {
        CompletableFuture<String> c = second.load(3);
        assertThat(c).isNotDone();
        assertThat(first.load(4)).isNotDone(); // one pending key each: independent batches
        assertThat(second.load(5).join()).isEqualTo("v5");
        assertThat(c.join()).isEqualTo("v3");
      }
    }
    assertThat(batchSizes).startsWith(2, 2);
  }

  @Test
  void executorMetricsArgumentsFailNamingTheParameter() {
    try (BoundedExecutor io = Parallel.io("metrics").build()) {
      ExecutorMetrics metrics = io.metrics();
      assertThatNullPointerException().isThrownBy(() -> metrics.tags((String[]) null))
          .withMessage("keyValues must not be null");
      assertThatNullPointerException().isThrownBy(() -> metrics.tags((Iterable<Tag>) null))
          .withMessage("tags must not be null");
      assertThatIllegalArgumentException().isThrownBy(() -> metrics.tags("a", "b", "c"))
          .withMessage("keyValues must come in pairs but had 3 elements");
      assertThatNullPointerException().isThrownBy(() -> metrics.bindTo(null))
          .withMessage("registry must not be null");
      assertThat(metrics.tags("a", "b")).isNotSameAs(metrics);
    }
  }
}
