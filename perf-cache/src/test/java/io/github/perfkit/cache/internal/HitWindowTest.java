package io.github.perfkit.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HitWindow on its own, driven by a hand-moved clock (the nanosecond times a ticker would give),
 * with the sampling MemoEngine uses: a sample at most every 10 s, kept for 5 min + 10 s.
 */
class HitWindowTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = 60 * SECOND;
  private static final long START = 1_000 * SECOND;

  private static HitWindow window() {
    return new HitWindow(10 * SECOND, 5 * MINUTE + 10 * SECOND, START);
  }

  @Test
  void beforeAWindowHasPassedItCoversEverythingSinceTheStart() {
    HitWindow w = window();
    long now = START + 30 * SECOND;
    w.maybeSample(now, 40, 10);
    assertThat(w.since(MINUTE, now, 40, 10)).containsExactly(40, 10, 30 * SECOND);
  }

  @Test
  void aSampleIsTakenAtMostOncePerSamplingPeriod() {
    HitWindow w = window();
    w.maybeSample(START + 5 * SECOND, 5, 0); // too soon after the first sample: not taken
    w.maybeSample(START + 10 * SECOND, 10, 0); // taken
    w.maybeSample(START + 15 * SECOND, 15, 0); // too soon: not taken
    long now = START + 75 * SECOND;
    // the newest sample at least 1 min old is the one at +10 s (the one at +15 s was never taken)
    assertThat(w.since(MINUTE, now, 100, 0)).containsExactly(90, 0, 65 * SECOND);
  }

  @Test
  void theWindowRollsForwardAsTimePasses() {
    HitWindow w = window();
    // one request per second, a hit ratio of 3/4, sampled every 10 s for 10 minutes
    long hits = 0;
    long misses = 0;
    for (long t = 10; t <= 600; t += 10) {
      hits += 30;
      misses += 10;
      w.maybeSample(START + t * SECOND, hits, misses);
    }
    long now = START + 600 * SECOND;
    // the last minute: from the sample at +540 s
    assertThat(w.since(MINUTE, now, hits, misses)).containsExactly(180, 60, MINUTE);
    // the last five minutes: from the sample at +300 s
    assertThat(w.since(5 * MINUTE, now, hits, misses)).containsExactly(900, 300, 5 * MINUTE);

    // 45 s later (+645 s), 90 more hits and no miss, not sampled yet: the minute rolls forward to
    // the newest sample at least a minute old, +580 s (1,740 hits, 580 misses), covering 65 s
    now += 45 * SECOND;
    assertThat(w.since(MINUTE, now, hits + 90, misses)).containsExactly(150, 20, 65 * SECOND);
  }

  @Test
  void samplesOlderThanTheLongestWindowAreDroppedButOneIsKept() {
    HitWindow w = window();
    w.maybeSample(START + 10 * SECOND, 10, 10);
    w.maybeSample(START + 20 * SECOND, 20, 20);
    // an hour of silence, then a sample: everything before it but one sample is dropped
    long later = START + 60 * MINUTE;
    w.maybeSample(later, 1_000, 500);
    long now = later + 30 * SECOND;
    // the five-minute window answers from the one kept older sample (+20 s), and says how long
    // that really covers, so a reader sees the samples were sparse
    assertThat(w.since(5 * MINUTE, now, 1_010, 500))
        .containsExactly(990, 480, now - (START + 20 * SECOND));
    // with the samples at +0 s and +10 s dropped, nothing reaches back to them
    assertThat(w.since(120 * MINUTE, now, 1_010, 500))
        .containsExactly(990, 480, now - (START + 20 * SECOND));
  }
}
