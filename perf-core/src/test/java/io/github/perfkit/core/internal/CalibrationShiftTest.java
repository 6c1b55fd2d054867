package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The calibrated verdict against a known answer: ratios measured in 8 blocks, some of which fall
 * in a stretch where a shared machine ran the section 25% faster or 18% slower than the loop (as
 * measured on the 2-core VM: one block in four, either way). The median of block medians keeps the
 * true change within a few percent; a measurement made inside one such stretch (as the earlier
 * 60-100 contiguous rounds were, 0.1-0.2 s) would be off by the stretch's whole factor.
 */
class CalibrationShiftTest {

  /** Ratios of 8 blocks of 100 rounds around {@code level}, with the given blocks off by a factor. */
  private static double[] ratios(double level, long seed, int[] offBlocks, double[] offFactors) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[800];
    for (int b = 0; b < 8; b++) {
      double f = 1;
      for (int i = 0; i < offBlocks.length; i++) {
        if (offBlocks[i] == b) {
          f = offFactors[i];
        }
      }
      for (int k = 0; k < 100; k++) {
        out[b * 100 + k] = level * f * (1 + 0.03 * r.nextGaussian());
      }
    }
    return out;
  }

  @Test
  void unchangedCodeWithStretchesOnBothSidesIsNotARegression() {
    for (long seed = 0; seed < 50; seed++) {
      double[] before = ratios(32, seed, new int[] {2, 5}, new double[] {0.75, 1.18});
      double[] now = ratios(32, seed + 1000, new int[] {1, 6}, new double[] {1.18, 1.18});
      Calibration.Shift s = Calibration.shift(before, 8, now, 8);
      assertThat(s.change()).isCloseTo(1.0, within(0.03));
      assertThat(s.regressed(0.10)).as("seed %d: %s", seed, s.text()).isFalse();
    }
  }

  @Test
  void aTwentyPercentSlowdownIsFoundThroughStretchesThatHideIt() {
    for (long seed = 0; seed < 50; seed++) {
      double[] before = ratios(32, seed, new int[] {3, 4}, new double[] {1.18, 1.18});
      double[] now = ratios(32 * 1.2, seed + 1000, new int[] {0, 7}, new double[] {0.75, 0.75});
      Calibration.Shift s = Calibration.shift(before, 8, now, 8);
      assertThat(s.change()).isCloseTo(1.2, within(0.04));
      assertThat(s.regressed(0.10)).as("seed %d: %s", seed, s.text()).isTrue();
    }
  }

  @Test
  void noiseWidensTheBandSoATenPercentChangeInNoisyBlocksIsUnclear() {
    SplittableRandom r = new SplittableRandom(7);
    double[] before = new double[800];
    double[] now = new double[800];
    for (int b = 0; b < 8; b++) {
      double fb = 1 + 0.25 * r.nextGaussian(); // blocks 25% apart: a heavily loaded machine
      double fn = 1 + 0.25 * r.nextGaussian();
      for (int k = 0; k < 100; k++) {
        before[b * 100 + k] = 32 * Math.abs(fb);
        now[b * 100 + k] = 32 * 1.12 * Math.abs(fn);
      }
    }
    Calibration.Shift s = Calibration.shift(before, 8, now, 8);
    assertThat(s.band()).isGreaterThan(0.15);
    assertThat(s.regressed(0.10)).isFalse();
  }

  @Test
  void roundsPerBlockSpanAQuarterSecondWithinBounds() {
    assertThat(Calibration.roundsPerBlock(1_000_000)).isEqualTo(125); // 2 ms a round
    assertThat(Calibration.roundsPerBlock(100_000_000)).isEqualTo(Calibration.MIN_BLOCK_ROUNDS);
    assertThat(Calibration.roundsPerBlock(1_000)).isEqualTo(1_000);
  }
}
