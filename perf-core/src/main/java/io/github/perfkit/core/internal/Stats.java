package io.github.perfkit.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Small statistics for the compare harness: quantiles, Mann-Whitney U, bootstrap. */
public final class Stats {

  private Stats() {}

  /**
   * @param sorted ascending values
   * @param q quantile in [0, 1]
   * @return the linearly interpolated quantile
   */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  /**
   * @param values some values, not changed (sorted in a copy)
   * @return their median
   */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return quantile(sorted, 0.5);
  }

  /**
   * The medians of consecutive blocks of a series (block sizes differing by at most one).
   *
   * @param values the series, in order; not changed
   * @param blocks how many blocks, {@code >= 1} (fewer when there are fewer values)
   * @return one median per block
   */
  public static double[] blockMedians(double[] values, int blocks) {
    Require.positive(values.length, "values.length");
    int k = Math.max(1, Math.min(blocks, values.length));
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      double[] block = java.util.Arrays.copyOfRange(values, (int) ((long) values.length * i / k),
          (int) ((long) values.length * (i + 1) / k));
      java.util.Arrays.sort(block);
      out[i] = quantile(block, 0.5);
    }
    return out;
  }

  /**
   * Two-sided Mann-Whitney U test: exact (the distribution of U counted over every arrangement)
   * when there are no ties and both samples have at most 20 values, otherwise the normal
   * approximation, tie-corrected, with a continuity correction.
   *
   * @param a one sample
   * @param b the other
   * @return the p-value
   */
  public static double mannWhitneyP(double[] a, double[] b) {
    int n1 = a.length;
    int n2 = b.length;
    int n = n1 + n2;
    double[][] all = new double[n][2];
    for (int i = 0; i < n1; i++) {
      all[i] = new double[] {a[i], 0};
    }
    for (int i = 0; i < n2; i++) {
      all[n1 + i] = new double[] {b[i], 1};
    }
    Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
    double rankSumA = 0;
    double tieTerm = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && all[j + 1][0] == all[i][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      int t = j - i + 1;
      tieTerm += (double) t * t * t - t;
      for (int k = i; k <= j; k++) {
        if (all[k][1] == 0) {
          rankSumA += rank;
        }
      }
      i = j + 1;
    }
    double u = rankSumA - n1 * (n1 + 1) / 2.0;
    if (tieTerm == 0 && n1 <= 20 && n2 <= 20 && n1 > 0 && n2 > 0) {
      return exactP(n1, n2, u);
    }
    double mean = n1 * (double) n2 / 2.0;
    double variance = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
    if (variance <= 0) {
      return 1.0;
    }
    double z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance); // continuity correction
    return Math.min(1.0, 2 * (1 - normalCdf(Math.max(0, z))));
  }

  /** Two-sided exact p-value of U for samples of sizes n1 and n2 without ties. */
  static double exactP(int n1, int n2, double u) {
    // counts[i][j][x]: orderings of i values of the first sample and j of the second with U = x.
    // The largest value is either from the first sample (it beats all j others: U = j + U of the
    // rest) or from the second (U = U of the rest).
    double[][][] counts = new double[n1 + 1][n2 + 1][];
    for (int i = 0; i <= n1; i++) {
      for (int j = 0; j <= n2; j++) {
        double[] c = new double[i * j + 1];
        if (i == 0 || j == 0) {
          c[0] = 1;
        } else {
          double[] withoutA = counts[i - 1][j];
          double[] withoutB = counts[i][j - 1];
          for (int x = 0; x < c.length; x++) {
            double v = 0;
            if (x - j >= 0 && x - j < withoutA.length) {
              v += withoutA[x - j];
            }
            if (x < withoutB.length) {
              v += withoutB[x];
            }
            c[x] = v;
          }
        }
        counts[i][j] = c;
      }
    }
    double[] dist = counts[n1][n2];
    double total = 0;
    for (double v : dist) {
      total += v;
    }
    int k = (int) Math.floor(Math.min(u, (double) n1 * n2 - u) + 1e-9);
    double tail = 0;
    for (int x = 0; x <= k; x++) {
      tail += dist[x];
    }
    return Math.min(1.0, 2 * tail / total);
  }

  /** Standard normal CDF (Abramowitz and Stegun 7.1.26 through erf), error below 1.5e-7. */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
        + 0.254829592) * t * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }

  /**
   * Percentile-bootstrap confidence interval of median(b) / median(a).
   *
   * @param a baseline sample
   * @param b other sample
   * @param confidence e.g. 0.95
   * @param resamples e.g. 2,000
   * @param seed for repeatability
   * @return {low, high}
   */
  public static double[] bootstrapRatioOfMedians(double[] a, double[] b, double confidence,
      int resamples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] ratios = new double[resamples];
    double[] ra = new double[a.length];
    double[] rb = new double[b.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < ra.length; i++) {
        ra[i] = a[random.nextInt(a.length)];
      }
      for (int i = 0; i < rb.length; i++) {
        rb[i] = b[random.nextInt(b.length)];
      }
      Arrays.sort(ra);
      Arrays.sort(rb);
      ratios[r] = quantile(rb, 0.5) / quantile(ra, 0.5);
    }
    Arrays.sort(ratios);
    double tail = (1 - confidence) / 2;
    return new double[] {quantile(ratios, tail), quantile(ratios, 1 - tail)};
  }
}
