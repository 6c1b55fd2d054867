package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Bad input fails at once with an error naming the parameter; a URI's password appears in no
 * message, log line, tag or {@code toString}.
 */
class MisconfigurationTest {

  private static final String PASSWORD = "pa55-w0rd-xyz";
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void zeroOrNegativeRateNamesTheParameter() {
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", "api", 0, SECOND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be positive but was 0");
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", "api", -5, SECOND))
        .hasMessage("permits must be positive but was -5");
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", "api", 5, Duration.ZERO))
        .hasMessage("period must be positive but was PT0S");
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", "api", 5,
        Duration.ofSeconds(-1))).hasMessage("period must be positive but was PT-1S");
  }

  @Test
  void emptyNameNamesTheParameter() {
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", "", 5, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank");
    assertThatThrownBy(() -> FleetRateLimit.redis("redis://127.0.0.1", null, 5, SECOND))
        .isInstanceOf(NullPointerException.class).hasMessage("name must not be null");
  }

  @Test
  void malformedUrisNameTheParameterAndNeverRepeatThePassword() {
    for (String uri : List.of("redis://:" + PASSWORD + "@host with space:6379",
        "http://:" + PASSWORD + "@127.0.0.1:6379", "redis://:" + PASSWORD + "@:6379",
        "redis://:" + PASSWORD + "@127.0.0.1:99999", "redis://:" + PASSWORD + "@127.0.0.1/x",
        "")) {
      assertThatThrownBy(() -> FleetRateLimit.redis(uri, "api", 5, SECOND))
          .as(uri).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("uri ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }
    assertThatThrownBy(() -> FleetRateLimit.redis(null, "api", 5, SECOND))
        .isInstanceOf(NullPointerException.class).hasMessage("uri must not be null");
  }

  @Test
  void thePasswordIsInNoLogLineTagOrToString() throws Exception {
    List<String> lines = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (lines) {
          lines.add(r.getLoggerName() + " " + r.getMessage() + " " + r.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> failures = new ArrayList<>();
    registry.config().onMeterRegistrationFailed((id, reason) -> failures.add(id + ": " + reason));
    try (FleetRateLimit limit = FleetRateLimit.redis("redis://app:" + PASSWORD + "@127.0.0.1:"
        + OwnRedisServer.sparePort(), "secret-test", 5, SECOND).build()) {
      limit.metrics().tags("app", "test").bindTo(registry);
      assertThat(limit.tryAcquire(Duration.ZERO)).isTrue();
      String scrape = registry.scrape();
      assertThat(failures).isEmpty();
      assertThat(scrape)
          .contains("perfkit_ratelimit_permits_total{app=\"test\",name=\"secret-test\","
              + "result=\"granted\"} 1.0")
          .contains("perfkit_ratelimit_fallbacks_total{app=\"test\",name=\"secret-test\"} 1.0")
          .contains("perfkit_ratelimit_mode{app=\"test\",mode=\"local\",name=\"secret-test\"} 1.0")
          .contains("perfkit_ratelimit_mode{app=\"test\",mode=\"shared\",name=\"secret-test\"} 0.0")
          .contains("perfkit_ratelimit_instances{app=\"test\",name=\"secret-test\"} 1.0")
          .contains("perfkit_ratelimit_waited_total{app=\"test\",name=\"secret-test\"} 0.0")
          .contains("perfkit_ratelimit_redis_commands_total{app=\"test\",name=\"secret-test\"} 0.0")
          .doesNotContain(PASSWORD);
      assertThat(limit.toString()).doesNotContain(PASSWORD).contains("127.0.0.1");
    } finally {
      root.removeHandler(handler);
    }
    synchronized (lines) {
      assertThat(lines).anyMatch(l -> l.contains("perfkit rate limit 'secret-test'")
          && l.contains("local share"));
      assertThat(lines).noneMatch(l -> l.contains(PASSWORD));
    }
  }
}
