package io.github.perfkit.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.Baseline.Measurement;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegressionCheckCliTest {

  /** {@code n} draws of a normal distribution with a 5% standard deviation around {@code mean}. */
  private static double[] noisy(double mean, int n, long seed) {
    Random r = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.max(0, mean + r.nextGaussian() * 5);
    }
    return out;
  }

  private static Baseline one(String name, double[] samples) {
    return Baseline.of(List.of(Measurement.ofSamples(name, "ns/call", false, samples)));
  }

  @Test
  void commandLineExitsOneOnARegressionAndTwoOnBadInput(@TempDir Path dir) throws Exception {
    Path base = one("op", noisy(100, 30, 1)).save(dir.resolve("base.json"));
    Path same = one("op", noisy(100, 30, 2)).save(dir.resolve("same.json"));
    Path slow = one("op", noisy(150, 30, 3)).save(dir.resolve("slow.json"));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream o = new java.io.PrintStream(out, true);
    java.io.PrintStream e = new java.io.PrintStream(err, true);
    assertThat(RegressionCheckCli.run(new String[] {base.toString(), same.toString()}, o, e)).isZero();
    assertThat(RegressionCheckCli.run(new String[] {"--tolerance", "0.2", "--markdown",
        base.toString(), slow.toString()}, o, e)).isEqualTo(1);
    assertThat(out.toString()).contains("| op | **REGRESSED** |");
    assertThat(RegressionCheckCli.run(new String[] {base.toString()}, o, e)).isEqualTo(2);
    assertThat(RegressionCheckCli.run(new String[] {"--tolerance"}, o, e)).isEqualTo(2);
    assertThat(RegressionCheckCli.run(new String[] {base.toString(),
        dir.resolve("missing.json").toString()}, o, e)).isEqualTo(2);
    assertThat(err.toString()).contains("expected two files").contains("--tolerance needs a value")
        .contains("missing.json").contains("usage:");
  }
}
