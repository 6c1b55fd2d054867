package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

  private static double[] series(int n, java.util.function.IntToDoubleFunction f) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = f.applyAsDouble(i);
    }
    return s;
  }

  @Test
  void flatSeriesSettlesAtTheFloor() {
    double[] flat = series(500, i -> 100.0);
    SteadyState d = SteadyState.defaults();
    assertThat(d.settlesAfter(flat, 0)).isEqualTo(d.minSamples());
    assertThat(SteadyState.defaults().settlesAfter(flat, 42)).isEqualTo(42);
  }

  @Test
  void flatNoisySeriesSettlesSoon() {
    Random r = new Random(1);
    double[] noisy = series(500, i -> 100 * (1 + 0.2 * r.nextGaussian()));
    int at = SteadyState.defaults().settlesAfter(noisy, 0);
    assertThat(at).isBetween(15, 60);
  }

  @Test
  void decayingSeriesSettlesLate() {
    // JIT-like: three times slower at first, decaying with a time constant of 40 samples
    double[] decaying = series(2_000, i -> 100 * (1 + 2 * Math.exp(-i / 40.0)));
    int at = SteadyState.defaults().settlesAfter(decaying, 0);
    assertThat(at).isGreaterThan(100);
    // once settled, the level is within 3% of the final one
    assertThat(decaying[at - 1] / 100).isLessThan(1.03);
  }

  @Test
  void longSeriesKeepBoundedMemoryAndStillSeeTheDecay() {
    // a million samples decaying over the first 300,000 (after a floor, as warm-up's time floor)
    double[] decaying = series(1_000_000, i -> 100 * (1 + 2 * Math.exp(-i / 60_000.0)));
    int at = SteadyState.defaults().settlesAfter(decaying, 10_000);
    assertThat(at).isGreaterThan(200_000);
    assertThat(decaying[at - 1] / 100).isLessThan(1.03);
  }

  @Test
  void stepDownSettlesAfterTheStep() {
    // twice as slow for the first 200 samples (as code running interpreted, then compiled)
    double[] step = series(1_000, i -> i < 200 ? 200.0 : 100.0);
    // flat before the step, so steady there; with a floor past the step, steady only once both
    // compared windows are mostly past it
    assertThat(SteadyState.defaults().settlesAfter(step, 0)).isEqualTo(15);
    assertThat(SteadyState.defaults().settlesAfter(step, 250)).isGreaterThanOrEqualTo(400);
  }

  @Test
  void neverSettlingSeriesNeverSettles() {
    // keeps falling by 1% per sample
    double[] falling = series(2_000, i -> 1e6 * Math.pow(0.99, i));
    assertThat(SteadyState.defaults().settlesAfter(falling, 0)).isEqualTo(-1);
    // keeps getting slower (a leak), with noise
    Random r = new Random(3);
    double[] leaking = series(20_000, i -> (100 + i * 0.05) * (1 + 0.1 * r.nextGaussian()));
    assertThat(SteadyState.defaults().settlesAfter(leaking, 1_000)).isEqualTo(-1);
  }

  @Test
  void rampWithJitterIsNotTakenForNoise() {
    // a run 1 ms longer than the one before, with the overshoot of a sleep on a loaded machine
    // (0-1 ms, one-sided): deviations around each window's median grow with the ramp and once
    // let such a series pass as settled (SectionMeasurementTest, JDK 25)
    for (int seed = 0; seed < 200; seed++) {
      Random r = new Random(seed);
      double[] ramp = series(60, i -> 1e6 * (i + 1 + r.nextDouble()));
      assertThat(SteadyState.defaults().settlesAfter(ramp, 5)).as("seed %d", seed).isEqualTo(-1);
    }
  }

  @Test
  void warmupHitsItsLimitAndSaysSo() {
    long[] clock = {0};
    // each round costs 1 ms and its timing keeps growing: never steady
    double[] level = {1e6};
    Warmup.Outcome o = Warmup.run(() -> clock[0], 1, 5, 0, 2_000_000_000L, times -> {
      clock[0] += 1_000_000;
      level[0] *= 1.01;
      times[0] = level[0];
    });
    assertThat(o.settled()).isFalse();
    assertThat(o.nanos()).isGreaterThanOrEqualTo(2_000_000_000L);
    assertThat(o.text()).contains("hit its limit of 2.00 s");
  }

  @Test
  void warmupWaitsForTheJitToGoQuietEvenWhenTheTimingsLookFlat() {
    long[] clock = {0};
    long[] jit = {0};
    // rounds of 1 ms, flat timings from the start, while the JIT compiles for half of every
    // millisecond during the first 1.5 s (as C2 working on a large method while its C1 code runs)
    Warmup.Outcome o = Warmup.run(() -> clock[0], () -> jit[0] / 1_000_000, 1, 5, 200_000_000L,
        5_000_000_000L, times -> {
          clock[0] += 1_000_000;
          if (clock[0] <= 1_500_000_000L) {
            jit[0] += 500_000;
          }
          times[0] = 1e6;
        });
    assertThat(o.settled()).isTrue();
    // the JIT compiling for at most 5% of the last third of the warm-up: about 2.14 s in all
    assertThat(o.nanos()).isBetween(2_100_000_000L, 2_300_000_000L);
    // timings alone: settled at the 200 ms floor
    clock[0] = 0;
    jit[0] = 0;
    Warmup.Outcome timingsOnly = Warmup.run(() -> clock[0], 1, 5, 200_000_000L, 5_000_000_000L,
        times -> {
          clock[0] += 1_000_000;
          times[0] = 1e6;
        });
    assertThat(timingsOnly.nanos()).isLessThan(250_000_000L);
  }

  @Test
  void warmupWithABusyJitHitsItsLimitAndSaysSo() {
    long[] clock = {0};
    Warmup.Outcome o = Warmup.run(() -> clock[0], () -> clock[0] / 10_000_000, 1, 5, 0,
        1_000_000_000L, times -> {
          clock[0] += 1_000_000;
          times[0] = 1e6;
        }); // the JIT busy 10% of the time, for ever
    assertThat(o.settled()).isFalse();
    assertThat(o.text()).contains("hit its limit of 1.00 s");
  }

  @Test
  void warmupFloorsHold() {
    long[] clock = {0};
    Warmup.Outcome o = Warmup.run(() -> clock[0], 2, 100, 500_000_000L, 5_000_000_000L,
        times -> {
          clock[0] += 1_000;
          times[0] = 10;
          times[1] = 20;
        });
    assertThat(o.settled()).isTrue();
    assertThat(o.rounds()).isGreaterThanOrEqualTo(100);
    assertThat(o.nanos()).isGreaterThanOrEqualTo(500_000_000L);
    assertThat(o.text()).contains("timings settled");
  }

  @Test
  void badArgumentsFailFast() {
    assertThatThrownBy(() -> new SteadyState(1.5)).hasMessageContaining("tolerance");
    assertThatThrownBy(() -> new SteadyState(Double.NaN)).hasMessageContaining("tolerance");
  }
}
