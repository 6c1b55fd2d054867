package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChangePointsTest {

  /** The straightforward O(n^3) statistic, to check the incremental one against. */
  static double[] bestSplitByDefinition(double[] x, int minSegment) {
    int n = x.length;
    int bestAt = minSegment;
    double best = Double.NEGATIVE_INFINITY;
    for (int tau = minSegment; tau <= n - minSegment; tau++) {
      double between = 0;
      double left = 0;
      double right = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double d = Math.abs(x[i] - x[j]);
          if (j < tau) {
            left += d;
          } else if (i >= tau) {
            right += d;
          } else {
            between += d;
          }
        }
      }
      double m = tau;
      double k = n - tau;
      double q = m * k / (m + k)
          * (2 * between / (m * k) - left / (m * (m - 1) / 2) - right / (k * (k - 1) / 2));
      if (q > best) {
        best = q;
        bestAt = tau;
      }
    }
    return new double[] {bestAt, best};
  }

  @Test
  void incrementalStatisticEqualsTheDefinition() {
    Random r = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      double[] x = new double[6 + r.nextInt(40)];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextGaussian() + (i > x.length / 2 ? r.nextInt(3) : 0);
      }
      double[] fast = ChangePoints.bestSplit(x, 3);
      double[] slow = bestSplitByDefinition(x, 3);
      assertThat(fast[0]).isEqualTo(slow[0]);
      assertThat(fast[1]).isCloseTo(slow[1], org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void findsTwoStepsAndIsDeterministic() {
    double[] x = new double[45];
    Random r = new Random(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = (i < 15 ? 100 : i < 30 ? 130 : 100) + r.nextGaussian();
    }
    assertThat(ChangePoints.find(x, 0.01, 199, 3, 1)).extracting(ChangePoints.Split::index)
        .containsExactly(15, 30);
    assertThat(ChangePoints.find(x, 0.01, 199, 3, 1)).isEqualTo(ChangePoints.find(x, 0.01, 199, 3, 1));
    assertThat(ChangePoints.find(new double[] {1, 2, 3, 4, 5}, 0.01, 199, 3, 1)).isEmpty();
  }
}
