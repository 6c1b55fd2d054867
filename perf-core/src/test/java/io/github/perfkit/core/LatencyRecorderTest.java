package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void percentilesAreWithinOnePercentOfTheExactOnes() {
    Random random = new Random(42);
    long[] values = new long[100_000];
    LatencyRecorder recorder = LatencyRecorder.create("lognormal");
    for (int i = 0; i < values.length; i++) {
      // log-normal around 1 ms, spanning microseconds to seconds
      values[i] = Math.max(1, (long) Math.exp(13.8 + 1.5 * random.nextGaussian()));
      recorder.record(values[i]);
    }
    Arrays.sort(values);
    LatencySnapshot snapshot = recorder.snapshot();
    assertThat(snapshot.count()).isEqualTo(values.length);
    for (double p : new double[] {50, 90, 95, 99, 99.9}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      assertThat((double) snapshot.percentile(p).toNanos())
          .as("p%s", p).isCloseTo(exact, within(exact * 0.01));
    }
    long sum = Arrays.stream(values).sum();
    assertThat(snapshot.totalNanos()).isEqualTo(sum);
    assertThat((double) snapshot.max().toNanos()).isCloseTo(values[values.length - 1],
        within(values[values.length - 1] * 0.01));
  }

  @Test
  void mergingTwoRecordersEqualsRecordingEverythingIntoOne() {
    Random random = new Random(7);
    LatencyRecorder a = LatencyRecorder.create("a");
    LatencyRecorder b = LatencyRecorder.create("b");
    LatencyRecorder all = LatencyRecorder.create("all");
    for (int i = 0; i < 10_000; i++) {
      long v = 1 + random.nextInt(5_000_000);
      (i % 3 == 0 ? a : b).record(v);
      all.record(v);
    }
    a.recordFailure(123);
    all.recordFailure(123);
    LatencySnapshot merged = a.snapshot().merge(b.snapshot());
    LatencySnapshot expected = all.snapshot();
    assertThat(merged.count()).isEqualTo(expected.count());
    assertThat(merged.failureCount()).isEqualTo(1);
    assertThat(merged.totalNanos()).isEqualTo(expected.totalNanos());
    assertThat(merged.histogram()).isEqualTo(expected.histogram());
  }

  @Test
  void intervalSnapshotsAddUpToTheLifetimeTotals() {
    LatencyRecorder recorder = LatencyRecorder.create("intervals");
    long count = 0;
    long total = 0;
    for (int round = 1; round <= 5; round++) {
      for (int i = 0; i < round * 100; i++) {
        recorder.record(round * 1000L + i);
      }
      LatencySnapshot interval = recorder.intervalSnapshot();
      assertThat(interval.count()).isEqualTo(round * 100L);
      count += interval.count();
      total += interval.totalNanos();
      recorder.snapshot(); // reading the lifetime does not reset the interval
    }
    assertThat(recorder.intervalSnapshot().count()).isZero();
    assertThat(recorder.snapshot().count()).isEqualTo(count);
    assertThat(recorder.snapshot().totalNanos()).isEqualTo(total);
  }

  @Test
  void concurrentRecordingLosesNoSample() throws Exception {
    LatencyRecorder recorder = LatencyRecorder.create("concurrent");
    int threads = 8;
    int perThread = 250_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    long[] intervalCounts = new long[1];
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < perThread; i++) {
          recorder.record(1 + (i & 1023));
        }
      });
    }
    start.countDown();
    pool.shutdown();
    while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
      intervalCounts[0] += recorder.intervalSnapshot().count(); // readers race the writers
    }
    intervalCounts[0] += recorder.intervalSnapshot().count();
    assertThat(recorder.snapshot().count()).isEqualTo((long) threads * perThread);
    assertThat(intervalCounts[0]).isEqualTo((long) threads * perThread);
  }

  @Test
  void badInputFailsFastNamingTheParameter() {
    assertThatNullPointerException().isThrownBy(() -> LatencyRecorder.create(null))
        .withMessage("name must not be null");
    assertThatIllegalArgumentException().isThrownBy(() -> LatencyRecorder.create("  "))
        .withMessageContaining("name");
    LatencyRecorder recorder = LatencyRecorder.create("x");
    assertThatIllegalArgumentException().isThrownBy(() -> recorder.record(-1))
        .withMessage("durationNanos must be >= 0 but was -1");
    assertThatIllegalArgumentException().isThrownBy(() -> recorder.snapshot().percentile(101))
        .withMessageContaining("percentile");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LatencyRecorder.builder("x").significantDigits(0))
        .withMessage("digits must be in [1, 3] but was 0");
  }
}
