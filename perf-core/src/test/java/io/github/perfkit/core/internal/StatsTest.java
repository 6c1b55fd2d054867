package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values of the Mann-Whitney U distribution (Mann and Whitney 1947 tables). */
class StatsTest {

  @Test
  void medianLeavesItsInputAlone() {
    double[] odd = {5, 1, 3};
    double[] even = {4, 1, 3, 2};
    assertThat(Stats.median(odd)).isEqualTo(3);
    assertThat(Stats.median(even)).isEqualTo(2.5);
    assertThat(odd).containsExactly(5, 1, 3);
    assertThat(even).containsExactly(4, 1, 3, 2);
  }

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
  void smallSamplesMatchRsExactWilcoxonTest() {
    // R: wilcox.test(c(1,2,3,4,5), c(6,7,8,9,10)) -> W = 0, p-value = 0.007937 (= 2/252)
    assertThat(Stats.mannWhitneyP(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}))
        .isCloseTo(0.007937, within(5e-7));
  }

  @Test
  void largeSamplesMatchRsNormalApproximationWithContinuityCorrection() {
    // a = 0, 2, ..., 58 and b = 7, 9, ..., 65 (30 each, no ties): 351 of the 900 pairs have a > b.
    // R: wilcox.test(seq(0, 58, 2), seq(7, 65, 2), exact = FALSE, correct = TRUE)
    //   -> W = 351, p-value = 0.1453, from z = (|351 - 450| - 0.5) / sqrt(30 * 30 * 61 / 12)
    //   = 1.456266 and p = 2 * (1 - pnorm(z)) = 0.1453191 (erfc(z / sqrt 2), computed exactly)
    double[] a = new double[30];
    double[] b = new double[30];
    for (int i = 0; i < 30; i++) {
      a[i] = i * 2;
      b[i] = i * 2 + 7;
    }
    // normalCdf is within 1.5e-7 of the exact CDF, so the two-sided p within 3e-7
    assertThat(Stats.mannWhitneyP(a, b)).isCloseTo(0.1453191272, within(5e-7));
    assertThat(Stats.mannWhitneyP(b, a)).isCloseTo(0.1453191272, within(5e-7)); // two-sided
  }
}
