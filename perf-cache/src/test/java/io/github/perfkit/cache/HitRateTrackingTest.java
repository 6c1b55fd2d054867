package io.github.perfkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HitRateTrackingTest {

  /** {@code hits} hits on key 0 (loaded once before) and {@code misses} misses on fresh keys. */
  private static int play(MemoizedFunction<Integer, Integer> memo, int hits, int misses, int next) {
    for (int i = 0; i < hits; i++) {
      memo.apply(0);
    }
    for (int i = 0; i < misses; i++) {
      memo.apply(next++);
    }
    return next;
  }

  @Test
  void recentWindowsShowTodaysHitRatioNotTheAverageSinceStart() {
    FakeTicker ticker = new FakeTicker();
    MemoizedFunction<Integer, Integer> memo = Memoizer.named("windowed").ticker(ticker)
        .build(k -> k);
    memo.apply(0); // 1 miss
    int next = play(memo, 899, 100, 1); // a good hour: 899 hits, 100 misses
    for (int minute = 0; minute < 10; minute++) {
      ticker.advance(Duration.ofMinutes(1));
      memo.stats(); // a scrape a minute samples the counters
    }
    // then the last two minutes go badly: 20 hits, 180 misses per minute
    for (int minute = 0; minute < 2; minute++) {
      next = play(memo, 20, 180, next);
      ticker.advance(Duration.ofMinutes(1));
      memo.stats();
    }
    CacheStatistics s = memo.stats();
    assertThat(s.lifetime().hits()).isEqualTo(899 + 40);
    assertThat(s.lifetime().misses()).isEqualTo(1 + 100 + 360);
    assertThat(s.hitRatio()).isCloseTo(939.0 / 1400, within(1e-9));
    assertThat(s.lastMinute().hits()).isEqualTo(20);
    assertThat(s.lastMinute().misses()).isEqualTo(180);
    assertThat(s.lastMinute().ratio()).isCloseTo(0.10, within(1e-9));
    assertThat(s.lastMinute().period()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.lastFiveMinutes().requests()).isEqualTo(400);
    assertThat(s.lastFiveMinutes().period()).isEqualTo(Duration.ofMinutes(5));

    TargetCheck check = memo.checkTarget();
    assertThat(check.verdict()).isEqualTo(TargetCheck.Verdict.BELOW_TARGET);
    assertThat(check.ratio()).isCloseTo(0.10, within(1e-9));
    assertThat(check.explanation()).contains("0.10 is below the target 0.80")
        .contains("40 hits, 360 misses over the last 300s").contains("keys rarely repeat");
  }

  @Test
  void theTargetCheckWaitsForEnoughRequestsThenJudges() {
    FakeTicker ticker = new FakeTicker();
    MemoizedFunction<Integer, Integer> memo = Memoizer.named("target").ticker(ticker)
        .maximumSize(1_000).targetHitRatio(0.9).minimumRequests(50).build(k -> k);
    memo.apply(0);
    play(memo, 10, 0, 1);
    assertThat(memo.checkTarget().verdict()).isEqualTo(TargetCheck.Verdict.NOT_ENOUGH_REQUESTS);
    assertThat(memo.checkTarget().explanation()).contains("11 requests").contains("50 needed");
    play(memo, 100, 0, 1);
    TargetCheck ok = memo.checkTarget();
    assertThat(ok.meetsTarget()).isTrue();
    assertThat(ok.explanation()).contains("meets the target 0.90");
  }

  @Test
  void aSmallCacheExplainsItsMissesWithItsEvictions() {
    MemoizedFunction<Integer, Integer> memo = Memoizer.named("too-small").executor(Runnable::run)
        .maximumSize(5).build(k -> k);
    for (int round = 0; round < 10; round++) {
      for (int k = 0; k < 50; k++) {
        memo.apply(k);
      }
    }
    TargetCheck check = memo.checkTarget();
    assertThat(check.verdict()).isEqualTo(TargetCheck.Verdict.BELOW_TARGET);
    assertThat(check.explanation()).contains("evicted for size (maximumSize 5");
  }
}
