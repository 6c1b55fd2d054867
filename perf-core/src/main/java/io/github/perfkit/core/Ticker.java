package io.github.perfkit.core;

/**
 * A source of nanosecond time for measuring durations: {@link #system()} ({@link System#nanoTime()})
 * in production, a fake one in tests that must know the exact durations a recorder or a breakdown
 * sees, as Caffeine's and Guava's {@code Ticker} do.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * LatencyRecorder r = LatencyRecorder.builder("fetch").ticker(now::get).build();
 * r.run(() -> now.addAndGet(1_500));          // recorded: exactly 1,500 ns
 * }</pre>
 *
 * <p>Only differences between two readings mean anything (the origin is arbitrary, as
 * {@code nanoTime}'s). Implementations must be thread-safe when the recorder or breakdown they time
 * is used from several threads, and cheap: a timed call reads the ticker twice.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * @return the current reading, in nanoseconds
   */
  long read();

  /**
   * The ticker of the running JVM: {@link System#nanoTime()}. Stateless and thread-safe; a read
   * costs one {@code nanoTime} call (about 20 ns on Linux).
   *
   * @return the system ticker, the same instance on every call
   */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** The one system ticker, a class of its own so that a timed call site stays monomorphic. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
