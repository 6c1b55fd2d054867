package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values of the Mann-Whitney U distribution (Mann and Whitney 1947 tables). */
class StatsTest {

  @Test
  void exactTailsMatchTheTables() {
    // complete separation: 2 of C(n1+n2, n1) orderings are as extreme, two-sided
    assertThat(Stats.exactP(3, 3, 0)).isCloseTo(2.0 / 20, within(1e-12));
    assertThat(Stats.exactP(5, 5, 0)).isCloseTo(2.0 / 252, within(1e-12));
    assertThat(Stats.exactP(5, 5, 25)).isCloseTo(2.0 / 252, within(1e-12));
    // n1 = n2 = 4: P(U <= 1) = 2/70
    assertThat(Stats.exactP(4, 4, 1)).isCloseTo(2 * 2.0 / 70, within(1e-12));
    assertThat(Stats.exactP(4, 4, 8)).isEqualTo(1.0);
  }

  @Test
  void smallSamplesWithoutTiesUseTheExactTest() {
    double[] a = {1, 2, 3, 4, 5};
    double[] b = {6, 7, 8, 9, 10};
    assertThat(Stats.mannWhitneyP(a, b)).isCloseTo(2.0 / 252, within(1e-12)); // below 0.01
    double[] tied = {1, 2, 3, 4, 6};
    assertThat(Stats.mannWhitneyP(tied, b)).isGreaterThan(0.01); // a tie: normal approximation
  }

  @Test
  void largeSamplesAgreeWithTheNormalApproximation() {
    double[] a = new double[30];
    double[] b = new double[30];
    for (int i = 0; i < 30; i++) {
      a[i] = i * 2;
      b[i] = i * 2 + 7;
    }
    double p = Stats.mannWhitneyP(a, b);
    assertThat(p).isBetween(0.05, 0.6);
  }
}
