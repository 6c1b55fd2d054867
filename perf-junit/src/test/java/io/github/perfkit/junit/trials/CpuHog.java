package io.github.perfkit.junit.trials;

/** A competing CPU-bound process for {@link NoiseTrialsTest}: spins until killed (or 30 min). */
public final class CpuHog {

  private CpuHog() {}

  static volatile long sink;

  public static void main(String[] args) {
    long end = System.nanoTime() + 30L * 60 * 1_000_000_000L;
    long x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1_000_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }
}
