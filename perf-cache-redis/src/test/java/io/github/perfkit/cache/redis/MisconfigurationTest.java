package io.github.perfkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12 item 3: a misconfigured Redis is visible (builder error, one WARN line, a status). */
class MisconfigurationTest {

  private static final String PASSWORD = "Sup3r-Secret-pw";
  private static final String WRONG = "Wr0ng-Guess-pw";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T opened(T resource) {
    open.add(resource);
    return resource;
  }

  private static String uniqueName(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private TieredFunction<Long, String> instance(String uri, String name) {
    return opened(RedisTier.<Long, String>named(name).redis(uri)
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .build(k -> "v" + k));
  }

  @Test
  void aMalformedUriIsABuilderErrorNamingTheParameterWithoutThePassword() {
    for (String uri : List.of("redis://:" + PASSWORD + "@127.0.0.1:notaport",
        "redis://:" + PASSWORD + "@127.0.0.1:99999", "127.0.0.1:6379",
        "http://:" + PASSWORD + "@127.0.0.1:6379", "redis://:" + PASSWORD + "@",
        "redis://:" + PASSWORD + "@127.0.0.1:6379/notadatabase",
        "redis://:" + PASSWORD + "@bad host:6379")) {
      assertThatThrownBy(() -> RedisTier.<Long, String>named("x").redis(uri))
          .as(uri.replace(PASSWORD, "***"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("uri ")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(PASSWORD))
          .hasNoCause();
    }
  }

  /** Lets the cache retry a few times, so that a line per attempt would show. */
  private static void awaitAttempts(TieredFunction<Long, String> tier, int attempts)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (tier.connectAttempts() < attempts && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(tier.connectAttempts()).isGreaterThanOrEqualTo(attempts);
  }

  private static void assertNoSecret(LogCapture logs, TieredFunction<?, ?> tier) {
    for (String line : logs.everything()) {
      assertThat(line).doesNotContain(PASSWORD).doesNotContain(WRONG);
    }
    assertThat(tier.redisStatus().toString()).doesNotContain(PASSWORD).doesNotContain(WRONG);
    assertThat(tier.toString()).doesNotContain(PASSWORD).doesNotContain(WRONG);
  }

  private static void awaitAvailable(TieredFunction<?, ?> tier) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!tier.redisAvailable() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(tier.redisAvailable()).as("%s", tier.redisStatus()).isTrue();
  }

  /** The line is written just after the status changes, on the cache's own thread. */
  private static void awaitLine(LogCapture logs, Level level, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (logs.perfkit(level, name).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /**
   * Builds a cache against a misconfigured Redis, checks one WARNING and the status, mends the
   * configuration with {@code mend}, and checks one INFO line on recovery.
   */
  private void oneWarningThenOneRecoveryLine(OwnRedisServer redis, String uri,
      RedisStatus.State expected, String reasonContains, Mend mend) throws Exception {
    String name = uniqueName("misconfigured");
    try (LogCapture logs = new LogCapture()) {
      TieredFunction<Long, String> a = instance(uri, name);
      assertThat(a.apply(1L)).as("callers are served without Redis").isEqualTo("v1");
      awaitAttempts(a, 4);
      List<String> warnings = logs.perfkit(Level.WARNING, name);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("127.0.0.1:" + redis.port).contains(reasonContains);
      assertThat(a.redisAvailable()).isFalse();
      assertThat(a.redisStatus().state()).isEqualTo(expected);
      assertThat(a.redisStatus().reason()).contains("127.0.0.1:" + redis.port)
          .contains(reasonContains);
      assertThat(logs.perfkit(Level.INFO, name)).isEmpty();
      assertNoSecret(logs, a);

      mend.run();
      awaitAvailable(a);
      assertThat(a.redisStatus().state()).isEqualTo(RedisStatus.State.UP);
      awaitLine(logs, Level.INFO, name);
      assertThat(logs.perfkit(Level.INFO, name)).hasSize(1);
      assertThat(logs.perfkit(Level.INFO, name).get(0)).contains("usable again")
          .contains("127.0.0.1:" + redis.port);
      assertThat(logs.perfkit(Level.WARNING, name)).hasSize(1);
      assertThat(a.apply(2L)).isEqualTo("v2");
      assertThat(a.stats().l2Puts()).as("the tier works once Redis accepts it").isEqualTo(1);
      assertNoSecret(logs, a);
    }
  }

  interface Mend {
    void run() throws Exception;
  }

  @Test
  void aWrongPasswordLogsOneWarningAndOneLineOnRecovery() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start("--requirepass", PASSWORD));
    RedisAdmin admin = opened(new RedisAdmin(redis.uri(null, PASSWORD)));
    oneWarningThenOneRecoveryLine(redis, redis.uri(null, WRONG),
        RedisStatus.State.AUTHENTICATION_FAILED, "WRONGPASS",
        () -> admin.sync().configSet("requirepass", WRONG)); // now the cache's password is right
  }

  @Test
  void aMissingPasswordLogsOneWarningAndOneLineOnRecovery() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start("--requirepass", PASSWORD));
    RedisAdmin admin = opened(new RedisAdmin(redis.uri(null, PASSWORD)));
    oneWarningThenOneRecoveryLine(redis, redis.uri(), RedisStatus.State.AUTHENTICATION_FAILED,
        "NOAUTH", () -> admin.sync().configSet("requirepass", ""));
  }

  @Test
  void aClosedPortLogsOneWarningAndOneLineWhenRedisStarts() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.notStarted());
    oneWarningThenOneRecoveryLine(redis, redis.uri(), RedisStatus.State.UNREACHABLE,
        "connection refused", redis::startAgain);
  }

  @Test
  void redisStoppingAndStartingAgainLogsOneWarningAndOneRecoveryLine() throws Exception {
    OwnRedisServer redis = opened(OwnRedisServer.start());
    String name = uniqueName("restart");
    try (LogCapture logs = new LogCapture()) {
      TieredFunction<Long, String> a = instance(redis.uri(), name);
      assertThat(a.redisStatus().state()).isEqualTo(RedisStatus.State.UP);
      redis.stop();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (a.redisStatus().state() != RedisStatus.State.UNREACHABLE
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(a.redisStatus().state()).isEqualTo(RedisStatus.State.UNREACHABLE);
      for (long k = 0; k < 50; k++) {
        assertThat(a.apply(k)).isEqualTo("v" + k); // fallbacks: no line per call
      }
      redis.startAgain();
      awaitAvailable(a);
      awaitLine(logs, Level.INFO, name);
      assertThat(logs.perfkit(Level.WARNING, name)).hasSize(1);
      assertThat(logs.perfkit(Level.INFO, name)).hasSize(1);
    }
  }
}
