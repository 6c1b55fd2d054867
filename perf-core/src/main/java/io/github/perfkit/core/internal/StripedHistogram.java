package io.github.perfkit.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The storage behind {@code LatencyRecorder}: HdrHistogram {@link Recorder}s striped by thread so
 * that concurrent writers do not contend, drained under a lock into a lifetime and an interval
 * accumulator when someone reads.
 *
 * <p>Writers: lock-free and allocation-free after a stripe exists. Readers: serialized by a lock.
 */
public final class StripedHistogram {

  private static final int STRIPES = stripeCount();

  private final int significantDigits;
  private final AtomicReferenceArray<Stripe> stripes = new AtomicReferenceArray<>(STRIPES);

  private final Object drainLock = new Object();
  private final Histogram lifetime;
  private final Histogram interval;
  private long lifetimeFailures;
  private long lifetimeTotal;
  private long intervalFailures;
  private long intervalTotal;

  public StripedHistogram(int significantDigits) {
    this.significantDigits = significantDigits;
    this.lifetime = newHistogram(significantDigits);
    this.interval = newHistogram(significantDigits);
  }

  private static Histogram newHistogram(int digits) {
    Histogram histogram = new Histogram(digits);
    histogram.setAutoResize(true);
    return histogram;
  }

  private static int stripeCount() {
    int wanted = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    return Integer.highestOneBit(wanted - 1) << 1; // next power of two
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
  public void record(long nanos, boolean failure) {
    int index = (int) Thread.currentThread().getId() & (STRIPES - 1);
    Stripe stripe = stripes.get(index);
    if (stripe == null) {
      stripe = createStripe(index);
    }
    stripe.recorder.recordValue(nanos);
    stripe.total.getAndAdd(nanos);
    if (failure) {
      stripe.failures.getAndIncrement();
    }
  }

  private Stripe createStripe(int index) {
    Stripe created = new Stripe(significantDigits);
    if (stripes.compareAndSet(index, null, created)) {
      return created;
    }
    return stripes.get(index);
  }

  /** A drained view: a private histogram copy with its failure count and exact total. */
  public static final class Drained {
    public final Histogram histogram;
    public final long failures;
    public final long totalNanos;

    Drained(Histogram histogram, long failures, long totalNanos) {
      this.histogram = histogram;
      this.failures = failures;
      this.totalNanos = totalNanos;
    }
  }

  /** Everything since creation. */
  public Drained lifetime() {
    synchronized (drainLock) {
      drain();
      return new Drained(lifetime.copy(), lifetimeFailures, lifetimeTotal);
    }
  }

  /** Everything since the previous call; resets the interval. */
  public Drained interval() {
    synchronized (drainLock) {
      drain();
      Drained result = new Drained(interval.copy(), intervalFailures, intervalTotal);
      interval.reset();
      intervalFailures = 0;
      intervalTotal = 0;
      return result;
    }
  }

  private void drain() {
    for (int i = 0; i < STRIPES; i++) {
      Stripe stripe = stripes.get(i);
      if (stripe == null) {
        continue;
      }
      // a Recorder only takes back histograms it handed out, so each stripe keeps its own spare
      Histogram taken = stripe.recorder.getIntervalHistogram(stripe.spare);
      long failures = stripe.failures.getAndSet(0);
      long total = stripe.total.getAndSet(0);
      lifetime.add(taken);
      interval.add(taken);
      lifetimeFailures += failures;
      intervalFailures += failures;
      lifetimeTotal += total;
      intervalTotal += total;
      stripe.spare = taken;
    }
  }

  private static final class Stripe {
    final Recorder recorder;
    final AtomicLong total = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    Histogram spare; // guarded by the owner's drainLock

    Stripe(int digits) {
      this.recorder = new Recorder(digits);
    }
  }
}
