package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder contract (issue 14 item 2) for every builder of perf-cache: {@link Memoizer.Builder}
 * and the wither-style {@link CacheMetrics}.
 */
class BuilderContractTest {

  private static Arguments setting(String name, Consumer<Memoizer.Builder<Object, Object>> set) {
    return Arguments.of(name, set);
  }

  /** Every Memoizer setter, each with a valid argument. */
  static Stream<Arguments> memoizerSettings() {
    return Stream.of(
        setting("maximumSize", b -> b.maximumSize(10)),
        setting("maximumWeight", b -> b.maximumWeight(10, (k, v) -> 1)),
        setting("expireAfterWrite", b -> b.expireAfterWrite(Duration.ofSeconds(1))),
        setting("expireAfterAccess", b -> b.expireAfterAccess(Duration.ofSeconds(1))),
        setting("expireAfter", b -> b.expireAfter((k, v) -> Duration.ofSeconds(1))),
        setting("refreshAfterWrite", b -> b.refreshAfterWrite(Duration.ofSeconds(1))),
        setting("bulkRefresh", b -> b.bulkRefresh(Duration.ofMillis(5))),
        setting("cacheAbsent", b -> b.cacheAbsent(Duration.ofSeconds(1))),
        setting("ticker", b -> b.ticker(new FakeTicker())),
        setting("executor", b -> b.executor(Runnable::run)),
        setting("targetHitRatio", b -> b.targetHitRatio(0.5)),
        setting("minimumRequests", b -> b.minimumRequests(5)),
        setting("registry", b -> b.registry(new CacheRegistry())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("memoizerSettings")
  void aMemoizerSettingMayBeSetOnce(String name, Consumer<Memoizer.Builder<Object, Object>> set) {
    Memoizer.Builder<Object, Object> builder = Memoizer.named("once");
    set.accept(builder);
    assertThatIllegalStateException().isThrownBy(() -> set.accept(builder))
        .withMessage(name + " was already set on this builder (each setting may be set once)");
  }

  /** Each setter with a bad argument, and the exact message naming its parameter and value. */
  static Stream<Arguments> memoizerBadArguments() {
    return Stream.of(
        bad(b -> b.maximumSize(-1), IllegalArgumentException.class,
            "maximumSize must not be negative but was -1"),
        bad(b -> b.maximumWeight(-2, (k, v) -> 1), IllegalArgumentException.class,
            "maximumWeight must not be negative but was -2"),
        bad(b -> b.maximumWeight(1, null), NullPointerException.class,
            "weigher must not be null"),
        bad(b -> b.expireAfterWrite(Duration.ZERO), IllegalArgumentException.class,
            "expireAfterWrite must be positive but was PT0S"),
        bad(b -> b.expireAfterAccess(Duration.ofSeconds(-1)), IllegalArgumentException.class,
            "expireAfterAccess must be positive but was PT-1S"),
        bad(b -> b.expireAfter(null), NullPointerException.class, "expiry must not be null"),
        bad(b -> b.refreshAfterWrite(null), NullPointerException.class,
            "refreshAfterWrite must not be null"),
        bad(b -> b.bulkRefresh(Duration.ZERO), IllegalArgumentException.class,
            "bulkRefresh must be positive but was PT0S"),
        bad(b -> b.cacheAbsent(Duration.ofMillis(-5)), IllegalArgumentException.class,
            "cacheAbsent must be positive but was PT-0.005S"),
        bad(b -> b.ticker(null), NullPointerException.class, "ticker must not be null"),
        bad(b -> b.executor(null), NullPointerException.class, "executor must not be null"),
        bad(b -> b.targetHitRatio(0), IllegalArgumentException.class,
            "targetHitRatio must be in (0, 1] but was 0.0"),
        bad(b -> b.targetHitRatio(Double.NaN), IllegalArgumentException.class,
            "targetHitRatio must be in (0, 1] but was NaN"),
        bad(b -> b.minimumRequests(0), IllegalArgumentException.class,
            "minimumRequests must be positive but was 0"),
        bad(b -> b.registry(null), NullPointerException.class, "registry must not be null"),
        bad(b -> b.build(null), NullPointerException.class, "loader must not be null"),
        bad(b -> b.build(k -> k, null), NullPointerException.class, "batchLoader must not be null"),
        bad(b -> b.buildBiFunction(null), NullPointerException.class, "loader must not be null"),
        bad(b -> b.buildSupplier(null), NullPointerException.class, "supplier must not be null"),
        bad(b -> b.buildChecked(null), NullPointerException.class, "loader must not be null"),
        bad(b -> b.buildAsync(null), NullPointerException.class, "loader must not be null"));
  }

  private static Arguments bad(Consumer<Memoizer.Builder<Object, Object>> call,
      Class<? extends Throwable> type, String message) {
    return Arguments.of(message, call, type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("memoizerBadArguments")
  void aBadMemoizerArgumentFailsInTheSetterNamingTheParameter(String message,
      Consumer<Memoizer.Builder<Object, Object>> call, Class<? extends Throwable> type) {
    assertThatThrownBy(() -> call.accept(Memoizer.named("bad"))).isExactlyInstanceOf(type)
        .hasMessage(message);
  }

  @Test
  void aRefusedArgumentLeavesTheSettingUnset() {
    Memoizer.Builder<Object, Object> builder = Memoizer.named("retry");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.minimumRequests(0));
    builder.minimumRequests(7); // not "already set"
    assertThat(builder.build(k -> k).checkTarget().minimumRequests()).isEqualTo(7);
  }

  @Test
  void theNameIsCheckedByTheFactory() {
    assertThatNullPointerException().isThrownBy(() -> Memoizer.named(null))
        .withMessage("name must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> Memoizer.named(" "))
        .withMessage("name must not be blank");
  }

  @Test
  void rulesAcrossMemoizerSettingsAreCheckedByBuild() {
    Memoizer.Builder<Object, Object> sizeAndWeight = Memoizer.named("both-bounds").maximumSize(1)
        .maximumWeight(1, (k, v) -> 1);
    assertThatIllegalStateException().isThrownBy(() -> sizeAndWeight.build(k -> k))
        .withMessage("maximumSize and maximumWeight exclude each other (set one) on cache "
            + "'both-bounds'");

    Memoizer.Builder<Object, Object> variableAndFixed = Memoizer.named("both-expiries")
        .expireAfterAccess(Duration.ofSeconds(1)).expireAfter((k, v) -> Duration.ofSeconds(1));
    assertThatIllegalStateException().isThrownBy(() -> variableAndFixed.buildSupplier(() -> "v"))
        .withMessage("expireAfter excludes expireAfterWrite and expireAfterAccess (set one) on "
            + "cache 'both-expiries'");
    assertThatIllegalStateException().isThrownBy(() -> Memoizer.named("w")
            .expireAfter((k, v) -> Duration.ofSeconds(1)).expireAfterWrite(Duration.ofSeconds(1))
            .buildAsync(k -> null))
        .withMessageStartingWith("expireAfter excludes expireAfterWrite");

    assertThatIllegalStateException().isThrownBy(() -> Memoizer.named("no-refresh")
            .bulkRefresh(Duration.ofMillis(5)).build(k -> k, keys -> Map.of()))
        .withMessage("bulkRefresh needs refreshAfterWrite and a batch loader "
            + "(build(loader, batchLoader)) on cache 'no-refresh'");
    assertThatIllegalStateException().isThrownBy(() -> Memoizer.named("no-batch")
            .refreshAfterWrite(Duration.ofSeconds(1)).bulkRefresh(Duration.ofMillis(5))
            .buildBiFunction((a, b) -> a))
        .withMessageStartingWith("bulkRefresh needs refreshAfterWrite and a batch loader");
  }

  @Test
  void buildingTwiceGivesIndependentCaches() {
    AtomicInteger loads = new AtomicInteger();
    Memoizer.Builder<Object, Object> builder = Memoizer.named("twice").maximumSize(10);
    MemoizedFunction<String, Integer> first = builder.build(k -> loads.incrementAndGet());
    MemoizedFunction<String, Integer> second = builder.build(k -> loads.incrementAndGet());
    assertThat(first).isNotSameAs(second);
    assertThat(first.apply("k")).isEqualTo(1);
    assertThat(second.apply("k")).isEqualTo(2); // not the first cache's value
    first.invalidateAll();
    assertThat(second.apply("k")).isEqualTo(2);
    assertThat(first.stats().lifetime().requests()).isEqualTo(1);
    assertThat(second.stats().lifetime().requests()).isEqualTo(2);
  }

  @Test
  void settingsMadeAfterBuildNeverChangeACacheBuiltBefore() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    Memoizer.Builder<Object, Object> builder = Memoizer.named("reused").ticker(ticker);
    MemoizedFunction<String, Integer> before = builder.build(k -> loads.incrementAndGet());
    builder.expireAfterWrite(Duration.ofSeconds(1)).maximumSize(0).targetHitRatio(0.1)
        .minimumRequests(1);
    MemoizedFunction<String, Integer> after = builder.build(k -> 100 + loads.incrementAndGet());

    assertThat(before.apply("k")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(before.apply("k")).isEqualTo(1); // no expiry, no size bound: still cached
    assertThat(before.stats().lifetime().hits()).isEqualTo(1);
    assertThat(before.checkTarget().target()).isEqualTo(0.8); // the defaults, as built
    assertThat(before.checkTarget().minimumRequests()).isEqualTo(100);
    assertThat(after.apply("k")).isEqualTo(102);
    assertThat(after.checkTarget().target()).isEqualTo(0.1);
    assertThat(after.checkTarget().minimumRequests()).isEqualTo(1);
  }

  // ---- CacheMetrics: immutable, wither-style; arguments checked with Require ----

  @Test
  void cacheMetricsArgumentsFailNamingTheParameter() {
    MemoizedFunction<Object, Object> cache = Memoizer.named("metrics").build(k -> k);
    CacheMetrics metrics = CacheMetrics.of(cache);
    assertThatNullPointerException().isThrownBy(() -> CacheMetrics.of(null))
        .withMessage("cache must not be null");
    assertThatNullPointerException().isThrownBy(() -> CacheMetrics.of(cache, null))
        .withMessage("extraTags must not be null");
    assertThatNullPointerException().isThrownBy(() -> metrics.cacheManager(null))
        .withMessage("cacheManager must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> metrics.cacheManager(" "))
        .withMessage("cacheManager must not be blank");
    assertThatNullPointerException().isThrownBy(() -> metrics.tags((Iterable<Tag>) null))
        .withMessage("tags must not be null");
    assertThatNullPointerException().isThrownBy(() -> metrics.tags((String[]) null))
        .withMessage("keyValues must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> metrics.tags("service"))
        .withMessage("keyValues must come in pairs but had 1 elements");
    assertThatNullPointerException().isThrownBy(() -> metrics.bindTo(null))
        .withMessage("registry must not be null");
  }

  @Test
  void cacheMetricsWithersNeverChangeTheBinderTheyStartFrom() {
    CacheMetrics plain = CacheMetrics.of(Memoizer.named("withers").build(k -> k))
        .withoutCacheManager();
    CacheMetrics tagged = plain.tags("service", "search");
    CacheMetrics managed = tagged.cacheManager("mine");
    assertThat(plain.commonTags()).isEqualTo(Tags.of("cache", "withers"));
    assertThat(tagged.commonTags()).isEqualTo(Tags.of("cache", "withers", "service", "search"));
    assertThat(managed.commonTags()).isEqualTo(Tags.of("cache", "withers", "service", "search",
        "cache.manager", "mine", "name", "withers"));
    assertThat(managed.withoutCacheManager().commonTags()).isEqualTo(tagged.commonTags());
    assertThat(List.of(plain, tagged, managed)).doesNotHaveDuplicates();
  }
}
