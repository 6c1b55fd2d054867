package io.github.perfkit.junit.trials;

import io.github.perfkit.junit.PerfBudget;
import io.github.perfkit.junit.PerfProbe;
import org.junit.jupiter.api.Test;

/**
 * The test a child JVM of {@link NoiseTrialsTest} runs through the JUnit engine: README's
 * {@code @PerfBudget(maxSlowdown = 0.10)} (or 0.05, method {@code tolerance5}) against a baseline
 * in the working directory, on a CPU workload doing {@code -Dtrial.factor} times the work (1.0
 * unchanged, 1.2 a 20% slowdown). Not run by Surefire (its name does not end in Test).
 */
public class TrialWorkload {

  static volatile long sink;

  /** Work of about a millisecond: a table of hashes sorted by insertion, then summed. */
  static void work(int n) {
    long acc = 0;
    int[] table = new int[64];
    for (int i = 0; i < n; i++) {
      int h = (i * 0x9E3779B9) ^ (i >>> 3);
      int slot = h & 63;
      table[slot] += h;
      if ((table[slot] & 1) == 0) {
        acc += table[(slot + 7) & 63];
      } else {
        acc ^= Integer.rotateLeft(table[slot], slot);
      }
    }
    sink = acc;
  }

  static int n() {
    return (int) Math.round(600_000 * Double.parseDouble(System.getProperty("trial.factor", "1")));
  }

  @Test
  @PerfBudget(maxSlowdown = 0.10, baseline = "baseline.json", name = "trial")
  void tolerance10(PerfProbe probe) {
    int n = n();
    probe.measure(() -> work(n));
  }

  @Test
  @PerfBudget(maxSlowdown = 0.05, baseline = "baseline.json", name = "trial")
  void tolerance5(PerfProbe probe) {
    int n = n();
    probe.measure(() -> work(n));
  }
}
