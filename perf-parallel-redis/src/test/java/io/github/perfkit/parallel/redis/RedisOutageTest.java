package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Four JVMs share 200 per second on a Redis of the test's own (password-protected) while it is
 * paused (SIGSTOP) or killed and restarted, and while it is down at startup. Callers never see an
 * error, the fleet stays within 80-120% of the limit while Redis is away (each instance at its
 * share), every instance is back to the shared bucket within 2 s of Redis returning, each change of
 * mode is one log line, and no line carries the password.
 */
class RedisOutageTest {

  private static final String PASSWORD = "s3cret-Pw-19";
  private static final int LIMIT = 200;

  @Test
  void pausedRedisFallsBackToTheLocalShareAndRecovers() throws Exception {
    try (OwnRedisServer server = OwnRedisServer.start("--requirepass", PASSWORD);
        Fleet fleet = new Fleet(4, server.uri(null, PASSWORD), "pause-" + UUID.randomUUID(),
            LIMIT, 1_000, 8_000, 15_000, 2, 1)) {
      sleepUntil(fleet.start + 5_000);
      server.pause();
      sleepUntil(fleet.start + 10_000);
      server.resume();
      fleet.await(60_000);
      assertOutage(fleet, 50, 100, "pause");
      assertThat(fleet.logs()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void downAtStartupThenKilledAndRestarted() throws Exception {
    try (OwnRedisServer server = OwnRedisServer.notStarted("--requirepass", PASSWORD);
        Fleet fleet = new Fleet(4, server.uri(null, PASSWORD), "kill-" + UUID.randomUUID(),
            LIMIT, 1_000, 8_000, 18_000, 2, 4)) {
      sleepUntil(fleet.start + 2_000);
      server.startAgain(); // down at startup: every instance built, local at 1/4 of the limit
      sleepUntil(fleet.start + 8_000);
      server.stop();
      sleepUntil(fleet.start + 13_000);
      server.startAgain();
      fleet.await(60_000);
      assertThat(fleet.builtModes()).containsOnly("LOCAL").hasSize(4);
      double atStartup = fleet.rate(2, 20);
      System.out.printf("down at startup: %.1f permits/s (%.0f%% of the limit)%n", atStartup,
          100 * atStartup / LIMIT);
      assertThat(atStartup).isBetween(0.8 * LIMIT, 1.2 * LIMIT);
      for (int i = 0; i < fleet.size(); i++) {
        int shared = fleet.firstIn(i, "SHARED", 20);
        assertThat(shared).as("instance %d shared after the first start", i).isBetween(20, 40);
      }
      assertOutage(fleet, 80, 130, "kill");
      String logs = fleet.logs();
      assertThat(logs).doesNotContain(PASSWORD);
      // per instance: local at startup, back, local at the kill, back = 2 warnings, 2 infos; on a
      // loaded machine a heartbeat past redisTimeout adds a pair, but every line is one change
      int warnings = count(logs, "WARNING: perfkit rate limit");
      assertThat(warnings).as(logs).isGreaterThanOrEqualTo(8)
          .isEqualTo(count(logs, "INFO: perfkit rate limit"));
    }
  }

  /** Redis away from sample k0 to k1 (100 ms steps). */
  private static void assertOutage(Fleet fleet, int k0, int k1, String what) {
    double during = fleet.rate(k0, k1);
    long errors = 0;
    for (int i = 0; i < fleet.size(); i++) {
      errors += fleet.sample(i, 1_000).errors();
      assertThat(fleet.sample(i, k1 - 1).mode()).as("instance %d during the %s", i, what)
          .isEqualTo("LOCAL");
      int back = fleet.firstIn(i, "SHARED", k1);
      System.out.printf("%s: instance %d back to shared %d ms after Redis returned%n", what, i,
          (back - k1) * 100);
      assertThat(back).as("instance %d back to shared", i).isBetween(k1, k1 + 20);
      assertThat(fleet.granted(i, k0, k1)).as("instance %d's share during the %s", i, what)
          .isGreaterThan((long) (0.15 * fleet.granted(k0, k1)));
    }
    System.out.printf("%s: fleet %.1f permits/s while Redis was away (%.0f%% of the limit)%n",
        what, during, 100 * during / LIMIT);
    assertThat(errors).isZero();
    assertThat(during).isBetween(0.8 * LIMIT, 1.2 * LIMIT);
  }

  private static int count(String text, String word) {
    int n = 0;
    for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      n++;
    }
    return n;
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long wait;
    while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(wait, 50));
    }
  }
}
