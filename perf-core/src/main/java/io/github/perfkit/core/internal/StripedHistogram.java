package io.github.perfkit.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * The storage behind {@code LatencyRecorder}: log-linear buckets in plain {@code long[]} stripes,
 * updated with one atomic add per record, drained under a lock into HdrHistogram accumulators when
 * someone reads.
 *
 * <p>The bucket layout is HdrHistogram's for the same number of significant digits (a run of
 * {@code 2^bits} unit buckets, then {@code 2^(bits-1)} sub-buckets per power of two), so a drained
 * bucket converts into exactly one HdrHistogram bucket and percentiles match HdrHistogram's to the
 * bucket. Values above {@link #MAX_VALUE} (about 9.8 hours in nanoseconds) are counted at that value.
 *
 * <p>Why not HdrHistogram's {@code Recorder} directly: it pays for a writer-reader phaser and a
 * concurrent histogram (several atomic operations per value); here a record is an index computation
 * plus two uncontended atomic adds, and threads write to different stripes (chosen by thread id), so
 * two threads recording at once do not share a cache line. A stripe may still be shared by threads
 * whose ids collide; the atomic adds keep that correct.
 *
 * <p>Writers: lock-free, allocation-free once their stripe exists. Readers: serialized by a lock.
 * A value and its contribution to the total may be drained in consecutive reads, never lost.
 */
public final class StripedHistogram {

  /** Largest value tracked exactly (2^45 - 1 ns, about 9.8 hours). */
  public static final long MAX_VALUE = (1L << 45) - 1;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int PAD = 16; // 128 bytes on each side of a stripe's hot slots
  private static final int STRIPES = stripeCount();

  private final int digits;
  private final int bits;      // log2 of the number of unit buckets
  private final int halfCount; // sub-buckets per power of two above the unit range
  private final int buckets;
  private final int totalSlot;
  private final int failureSlot;
  private final int stripeLength;
  private final AtomicReferenceArray<long[]> stripes = new AtomicReferenceArray<>(STRIPES);

  private final Object drainLock = new Object();
  private final Histogram lifetime;
  private final Histogram interval;
  private long lifetimeFailures;
  private long lifetimeTotal;
  private long intervalFailures;
  private long intervalTotal;
  private final List<Window> windows = new ArrayList<>(); // guarded by drainLock

  public StripedHistogram(int significantDigits) {
    this.digits = significantDigits;
    long largestUnitResolution = 2 * (long) Math.pow(10, significantDigits);
    this.bits = 64 - Long.numberOfLeadingZeros(largestUnitResolution - 1); // ceil(log2)
    this.halfCount = 1 << (bits - 1);
    this.buckets = indexOf(MAX_VALUE) + 1;
    this.totalSlot = PAD + buckets;
    this.failureSlot = totalSlot + 1;
    this.stripeLength = failureSlot + 1 + PAD;
    this.lifetime = new Histogram(1, MAX_VALUE, significantDigits);
    this.interval = new Histogram(1, MAX_VALUE, significantDigits);
  }

  private static int stripeCount() {
    int wanted = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    return Integer.highestOneBit(wanted - 1) << 1; // next power of two
  }

  /** Bucket index of a value in 0..MAX_VALUE. */
  private int indexOf(long value) {
    int highest = 63 - Long.numberOfLeadingZeros(value | 1);
    if (highest < bits) {
      return (int) value; // unit buckets
    }
    int shift = highest - (bits - 1);
    int sub = (int) (value >>> shift); // in [halfCount, 2 * halfCount)
    return (1 << bits) + (shift - 1) * halfCount + (sub - halfCount);
  }

  /** Lowest value that falls into bucket {@code index}. */
  private long lowestValueOf(int index) {
    int unit = 1 << bits;
    if (index < unit) {
      return index;
    }
    int shift = (index - unit) / halfCount + 1;
    long sub = (index - unit) % halfCount + halfCount;
    return sub << shift;
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
  public void record(long nanos, boolean failure) {
    long[] stripe = stripes.get((int) Thread.currentThread().getId() & (STRIPES - 1));
    if (stripe == null) {
      stripe = createStripe();
    }
    long clamped = nanos > MAX_VALUE ? MAX_VALUE : nanos; // the total agrees with the buckets
    LONGS.getAndAdd(stripe, PAD + indexOf(clamped), 1L);
    LONGS.getAndAdd(stripe, totalSlot, clamped);
    if (failure) {
      LONGS.getAndAdd(stripe, failureSlot, 1L);
    }
  }

  @SuppressWarnings("deprecation")
  private long[] createStripe() {
    int index = (int) Thread.currentThread().getId() & (STRIPES - 1);
    long[] created = new long[stripeLength];
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

  /** @return the number of significant digits kept */
  public int significantDigits() {
    return digits;
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

  /**
   * A rolling time window over what is drained, the way Micrometer's time-window histograms work:
   * a ring of {@code buffers} histograms that all receive every value; every
   * {@code expiry / buffers} the oldest is cleared and becomes the newest. The one read is the
   * oldest, so it covers between {@code expiry * (buffers - 1) / buffers} and {@code expiry}. Values
   * enter the window when they are drained (on any read of the recorder), so a value is at most one
   * read late. Packed (sparse) histograms keep an idle window small.
   */
  public static final class Window {
    private final PackedHistogram[] ring;
    private final long[] failures;
    private final LongSupplier clock;
    private final long rotateEvery;
    private long lastRotation;
    private int oldest;

    private final long expiryNanos;
    private final Object clockKey;

    private Window(Object clockKey, LongSupplier monotonicNanos, long expiryNanos, int buffers,
        int digits) {
      this.clockKey = clockKey;
      this.clock = monotonicNanos;
      this.expiryNanos = expiryNanos;
      this.rotateEvery = Math.max(1, expiryNanos / buffers);
      this.ring = new PackedHistogram[buffers];
      this.failures = new long[buffers];
      for (int b = 0; b < buffers; b++) {
        ring[b] = new PackedHistogram(1, MAX_VALUE, digits);
      }
      this.lastRotation = clock.getAsLong();
    }

    private void add(long value, long count) {
      for (PackedHistogram h : ring) {
        h.recordValueWithCount(value, count);
      }
    }

    private void addFailures(long count) {
      for (int b = 0; b < failures.length; b++) {
        failures[b] += count;
      }
    }

    private void rotate() {
      long now = clock.getAsLong();
      long since = now - lastRotation;
      if (since < rotateEvery) {
        return;
      }
      if (since >= rotateEvery * ring.length) { // idle for a whole window: everything is stale
        for (int b = 0; b < ring.length; b++) {
          ring[b].reset();
          failures[b] = 0;
        }
        lastRotation = now - since % rotateEvery;
        return;
      }
      while (now - lastRotation >= rotateEvery) {
        ring[oldest].reset();
        failures[oldest] = 0;
        oldest = (oldest + 1) % ring.length;
        lastRotation += rotateEvery;
      }
    }

    private Drained snapshot() {
      Histogram copy = ring[oldest].copy();
      long total = 0;
      for (org.HdrHistogram.HistogramIterationValue v : copy.recordedValues()) {
        total += v.getValueIteratedTo() * v.getCountAtValueIteratedTo();
      }
      return new Drained(copy, failures[oldest], total);
    }
  }

  /**
   * The rolling window with these settings, made (and fed from now on) on first use. Readers asking
   * for the same clock, expiry and buffer count share one window, so binding a recorder again does
   * not add another; a window lives as long as the recorder.
   *
   * @param clockKey identifies the clock (a Micrometer {@code Clock}, say): same key, same clock
   * @param monotonicNanos the clock
   * @param expiryNanos how much time the window covers at most, positive
   * @param buffers how many histograms rotate, {@code >= 1}
   * @return the window
   */
  public Window window(Object clockKey, LongSupplier monotonicNanos, long expiryNanos,
      int buffers) {
    synchronized (drainLock) {
      for (Window w : windows) {
        if (w.clockKey == clockKey && w.expiryNanos == expiryNanos && w.ring.length == buffers) {
          return w;
        }
      }
      drain(); // what came before belongs to the lifetime, not to the new window
      Window w = new Window(clockKey, monotonicNanos, expiryNanos, buffers, digits);
      windows.add(w);
      return w;
    }
  }

  /**
   * What a window holds now: a private copy; its total is summed from the buckets (each value at
   * its bucket's lowest value).
   *
   * @param window one of this histogram's windows
   * @return its contents
   */
  public Drained read(Window window) {
    synchronized (drainLock) {
      drain(); // rotates every window before it adds what it drained
      return window.snapshot();
    }
  }

  private void drain() {
    Window[] live = windows.isEmpty() ? NO_WINDOWS : windows.toArray(NO_WINDOWS);
    for (Window w : live) {
      w.rotate(); // retire what has expired before the new values go in
    }
    for (int s = 0; s < STRIPES; s++) {
      long[] stripe = stripes.get(s);
      if (stripe == null) {
        continue;
      }
      for (int i = 0; i < buckets; i++) {
        if ((long) LONGS.getVolatile(stripe, PAD + i) != 0) {
          long count = (long) LONGS.getAndSet(stripe, PAD + i, 0L);
          long value = lowestValueOf(i);
          lifetime.recordValueWithCount(value, count);
          interval.recordValueWithCount(value, count);
          for (Window w : live) {
            w.add(value, count);
          }
        }
      }
      long total = (long) LONGS.getAndSet(stripe, totalSlot, 0L);
      long failures = (long) LONGS.getAndSet(stripe, failureSlot, 0L);
      lifetimeTotal += total;
      intervalTotal += total;
      lifetimeFailures += failures;
      intervalFailures += failures;
      for (Window w : live) {
        w.addFailures(failures);
      }
    }
  }

  private static final Window[] NO_WINDOWS = new Window[0];
}
