package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The striped storage re-derives HdrHistogram's bucket layout; a drained value must land in exactly
 * the HdrHistogram bucket the original value would, at every precision and over the whole range.
 */
class StripedHistogramTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void everyValueLandsInTheBucketHdrHistogramWouldChoose(int digits) {
    StripedHistogram striped = new StripedHistogram(digits);
    Histogram reference = new Histogram(1, StripedHistogram.MAX_VALUE, digits);
    SplittableRandom random = new SplittableRandom(digits);
    for (int bit = 0; bit < 45; bit++) { // around every power of two: the layout's seams
      long p = 1L << bit;
      for (long v : new long[] {p - 1, p, p + 1, p + p / 3, 2 * p - 1}) {
        if (v >= 1 && v <= StripedHistogram.MAX_VALUE) {
          striped.record(v, false);
          reference.recordValue(v);
        }
      }
    }
    for (int n = 0; n < 100_000; n++) { // and log-uniform values in between
      long v = Math.max(1, (long) Math.pow(2, random.nextDouble(0, 45)) - 1);
      striped.record(v, false);
      reference.recordValue(v);
    }
    striped.record(StripedHistogram.MAX_VALUE, false);
    reference.recordValue(StripedHistogram.MAX_VALUE);
    StripedHistogram.Drained drained = striped.lifetime();
    assertThat(drained.histogram.getTotalCount()).isEqualTo(reference.getTotalCount());
    assertThat(drained.histogram).isEqualTo(reference);
    for (double q : new double[] {0, 1, 50, 90, 99, 99.9, 100}) {
      assertThat(drained.histogram.getValueAtPercentile(q))
          .as("p%s at %d digits", q, digits).isEqualTo(reference.getValueAtPercentile(q));
    }
  }

  @Test
  void valuesAboveTheRangeCountAtTheMaximumInBucketsAndTotal() {
    StripedHistogram striped = new StripedHistogram(2);
    striped.record(Long.MAX_VALUE, true);
    StripedHistogram.Drained d = striped.lifetime();
    assertThat(d.histogram.getTotalCount()).isEqualTo(1);
    assertThat(d.totalNanos).isEqualTo(StripedHistogram.MAX_VALUE);
    assertThat(d.failures).isEqualTo(1);
  }

  @Test
  void concurrentWritersAndReadersLoseNothing() throws Exception {
    StripedHistogram striped = new StripedHistogram(2);
    int threads = 4;
    int perThread = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    long[] intervals = new long[1];
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            striped.record(1 + (i % 1_000) + thread, (i & 1023) == 0);
          }
          return null;
        });
      }
      var reader = pool.submit(() -> {
        start.await();
        long seen = 0;
        for (int r = 0; r < 200; r++) {
          seen += striped.interval().histogram.getTotalCount();
        }
        return seen;
      });
      start.countDown();
      intervals[0] = reader.get(60, TimeUnit.SECONDS);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    long expectedTotal = 0;
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        expectedTotal += 1 + (i % 1_000) + t;
      }
    }
    StripedHistogram.Drained life = striped.lifetime();
    long rest = striped.interval().histogram.getTotalCount();
    assertThat(life.histogram.getTotalCount()).isEqualTo((long) threads * perThread);
    assertThat(intervals[0] + rest).isEqualTo((long) threads * perThread);
    assertThat(life.totalNanos).isEqualTo(expectedTotal);
    assertThat(life.failures).isEqualTo((long) threads * ((perThread + 1023) / 1024));
  }
}
