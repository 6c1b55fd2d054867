package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.testkit.LoopbackServices;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder contract (issue 14 item 2) for perf-cache-redis: {@link RedisTier.Builder} and the
 * wither-style {@link TierMetrics}.
 */
class BuilderContractTest {

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static String loopbackUri() {
    var s = LoopbackServices.redis();
    return "redis://" + s.host() + ":" + s.port();
  }

  private static Arguments setting(String name, Consumer<RedisTier.Builder<Long, String>> set) {
    return Arguments.of(name, set);
  }

  /**
   * Every setter with a valid argument. {@code redis(RedisClient)} is the same setting as
   * {@code redis(uri)}; the client is never connected (a builder creates nothing).
   */
  static Stream<Arguments> settings() {
    return Stream.of(
        setting("redis", b -> b.redis("redis://127.0.0.1:6379")),
        setting("keys", b -> b.keys(KeyCodec.longs())),
        setting("values", b -> b.values(ValueCodec.strings())),
        setting("l1", b -> b.l1(10, Duration.ofSeconds(1))),
        setting("l2Ttl", b -> b.l2Ttl(Duration.ofSeconds(1))),
        setting("singleFlight", b -> b.singleFlight(Duration.ofSeconds(1))),
        setting("maxValueBytes", b -> b.maxValueBytes(10)),
        setting("commandTimeout", b -> b.commandTimeout(Duration.ofSeconds(1))),
        setting("maxPendingInvalidations", b -> b.maxPendingInvalidations(10)),
        setting("ticker", b -> b.ticker(Ticker.systemTicker())),
        setting("keyPrefix", b -> b.keyPrefix("app:")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void aSettingMayBeSetOnce(String name, Consumer<RedisTier.Builder<Long, String>> set) {
    RedisTier.Builder<Long, String> builder = RedisTier.named("once");
    set.accept(builder);
    assertThatIllegalStateException().isThrownBy(() -> set.accept(builder))
        .withMessage(name + " was already set on this builder (each setting may be set once)");
  }

  @Test
  void aUriAndAClientAreOneSetting() {
    RedisClient client = RedisClient.create(); // no connection until one is asked for
    try {
      assertThatIllegalStateException()
          .isThrownBy(() -> RedisTier.named("either").redis(client).redis("redis://127.0.0.1"))
          .withMessageStartingWith("redis was already set");
      assertThatIllegalStateException()
          .isThrownBy(() -> RedisTier.named("either").redis("redis://127.0.0.1").redis(client))
          .withMessageStartingWith("redis was already set");
    } finally {
      client.shutdown();
    }
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad(b -> b.redis((String) null), NullPointerException.class, "uri must not be null"),
        bad(b -> b.redis((RedisClient) null), NullPointerException.class,
            "client must not be null"),
        bad(b -> b.keys(null), NullPointerException.class, "codec must not be null"),
        bad(b -> b.values(null), NullPointerException.class, "codec must not be null"),
        bad(b -> b.l1(-1, Duration.ofSeconds(1)), IllegalArgumentException.class,
            "maximumSize must not be negative but was -1"),
        bad(b -> b.l1(1, Duration.ZERO), IllegalArgumentException.class,
            "ttl must be positive but was PT0S"),
        bad(b -> b.l2Ttl(Duration.ofSeconds(-3)), IllegalArgumentException.class,
            "l2Ttl must be positive but was PT-3S"),
        bad(b -> b.singleFlight(null), NullPointerException.class, "lockTtl must not be null"),
        bad(b -> b.maxValueBytes(0), IllegalArgumentException.class,
            "maxValueBytes must be positive but was 0"),
        bad(b -> b.commandTimeout(Duration.ZERO), IllegalArgumentException.class,
            "commandTimeout must be positive but was PT0S"),
        bad(b -> b.maxPendingInvalidations(-1), IllegalArgumentException.class,
            "maxPendingInvalidations must be positive but was -1"),
        bad(b -> b.ticker(null), NullPointerException.class, "ticker must not be null"),
        bad(b -> b.keyPrefix(null), NullPointerException.class, "prefix must not be null"),
        bad(b -> b.keyPrefix("a*"), IllegalArgumentException.class,
            "prefix must not contain spaces or glob characters (* ? [ ] \\) but was 'a*'"),
        bad(b -> b.build(null), NullPointerException.class, "loader must not be null"));
  }

  private static Arguments bad(Consumer<RedisTier.Builder<Long, String>> call,
      Class<? extends Throwable> type, String message) {
    return Arguments.of(message, call, type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void aBadArgumentFailsInTheSetterNamingTheParameter(String message,
      Consumer<RedisTier.Builder<Long, String>> call, Class<? extends Throwable> type) {
    assertThatThrownBy(() -> call.accept(RedisTier.named("bad"))).isExactlyInstanceOf(type)
        .hasMessage(message);
  }

  @Test
  void aRefusedArgumentLeavesTheSettingUnset() {
    RedisTier.Builder<Long, String> builder = RedisTier.named("retry");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.redis("127.0.0.1:6379"))
        .withMessageStartingWith("uri ");
    builder.redis("redis://127.0.0.1:6379"); // not "already set"
  }

  @Test
  void theNameIsCheckedByTheFactory() {
    assertThatNullPointerException().isThrownBy(() -> RedisTier.named(null))
        .withMessage("name must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisTier.named(" "))
        .withMessage("name must not be blank");
    assertThatIllegalArgumentException().isThrownBy(() -> RedisTier.named("a*"))
        .withMessage("name must not contain spaces or '*' but was 'a*'");
  }

  @Test
  void theRequiredSettingsAreCheckedByBuild() {
    assertThatIllegalStateException().isThrownBy(() -> RedisTier.<Long, String>named("no-redis")
            .keys(KeyCodec.longs()).values(ValueCodec.strings()).build(k -> "v"))
        .withMessage("redis(...) must be set on cache 'no-redis'");
    assertThatIllegalStateException().isThrownBy(() -> RedisTier.<Long, String>named("no-keys")
            .redis("redis://127.0.0.1").values(ValueCodec.strings()).build(k -> "v"))
        .withMessage("keys(...) must be set on cache 'no-keys'");
    assertThatIllegalStateException().isThrownBy(() -> RedisTier.<Long, String>named("no-values")
            .redis("redis://127.0.0.1").keys(KeyCodec.longs()).build(k -> "v"))
        .withMessage("values(...) must be set on cache 'no-values'");
  }

  /** Against the real Redis: settings made after a build never reach the cache built before. */
  @Test
  void buildingTwiceGivesIndependentCachesThatLaterSettingsDoNotChange() {
    String name = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    RedisTier.Builder<Long, String> builder = RedisTier.<Long, String>named(name)
        .redis(loopbackUri()).keys(KeyCodec.longs()).values(ValueCodec.strings());
    TieredFunction<Long, String> before = TierTickerTest.connected(builder.build(k -> "value-" + k));
    open.add(before);
    builder.maxValueBytes(1).ticker(() -> 0L);
    TieredFunction<Long, String> after = TierTickerTest.connected(builder.build(k -> "value-" + k));
    open.add(after);
    assertThat(before).isNotSameAs(after);

    assertThat(before.apply(1L)).isEqualTo("value-1");
    assertThat(before.stats().l2Puts()).as("default 1 MiB limit: stored in Redis").isEqualTo(1);
    assertThat(before.stats().oversize()).isZero();
    assertThat(before.l1().stats().totalLoadTime()).as("system ticker").isPositive();

    assertThat(after.apply(2L)).isEqualTo("value-2");
    assertThat(after.stats().oversize()).as("1 byte limit: L1 only").isEqualTo(1);
    assertThat(after.stats().l2Puts()).isZero();
    assertThat(after.l1().stats().totalLoadTime()).as("a ticker that stands still").isZero();
    before.close();
    assertThat(after.apply(3L)).isEqualTo("value-3"); // closing one leaves the other working
  }

  @Test
  void tierMetricsArgumentsFailNamingTheParameter() {
    String name = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    TieredFunction<Long, String> tier = RedisTier.<Long, String>named(name).redis(loopbackUri())
        .keys(KeyCodec.longs()).values(ValueCodec.strings()).build(k -> "v");
    open.add(tier);
    TierMetrics metrics = tier.metrics();
    assertThatNullPointerException().isThrownBy(() -> metrics.bindTo(null))
        .withMessage("registry must not be null");
    assertThatNullPointerException().isThrownBy(() -> metrics.tags((Iterable<Tag>) null))
        .withMessage("tags must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> metrics.tags("odd"))
        .withMessage("keyValues must come in pairs but had 1 elements");
    assertThatIllegalArgumentException().isThrownBy(() -> metrics.cacheManager(""))
        .withMessage("cacheManager must not be blank");
    assertThat(metrics.tags("a", "b")).isNotSameAs(metrics);
  }
}
