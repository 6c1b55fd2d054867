package io.github.perfkit.bench.core;

import io.github.perfkit.core.Compare;
import io.github.perfkit.core.Comparison;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Issue 16's Compare-against-JMH trial: JMH measures the two pairs of {@link ComparePairs} (avgt,
 * 2 forks, {@link ComparePairsBenchmark}); then each pair is compared by perfkit's {@code Compare}
 * with its defaults in {@code jvms} fresh JVMs, and the trial counts the runs whose speedup is
 * within 10% of JMH's and whose 95% interval contains JMH's estimate (the bar: 4 of 5 each); then
 * two identical approaches in {@code identical} fresh JVMs, counting those called significant (the
 * bar: at most 1 of 20).
 *
 * <p>Run: {@code java -cp perf-bench/target/benchmarks.jar
 * io.github.perfkit.bench.core.CompareVsJmh [jvms=5] [identical=20]}.
 */
public final class CompareVsJmh {

  private CompareVsJmh() {}

  /**
   * Runs the trial, or (with {@code child PAIR}) one Compare in this JVM.
   *
   * @param args {@code [jvms] [identical]}, or {@code child sort|text|same}
   * @throws Exception if a child fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) {
      child(args[1]);
      return;
    }
    int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int identical = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Map<String, Double> jmh = new HashMap<>();
    for (RunResult r : new Runner(new OptionsBuilder()
        .include(ComparePairsBenchmark.class.getName()).build()).run()) {
      String label = r.getParams().getBenchmark();
      jmh.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
    }
    double jmhSort = jmh.get("sortBoxed") / jmh.get("sortPrimitive");
    double jmhText = jmh.get("textFormat") / jmh.get("textBuilder");
    System.out.printf(Locale.ROOT, "JMH (avgt, 2 forks): sort %.1f / %.1f us = %.3fx; text %.1f"
        + " / %.1f us = %.3fx%n", jmh.get("sortBoxed"), jmh.get("sortPrimitive"), jmhSort,
        jmh.get("textFormat"), jmh.get("textBuilder"), jmhText);
    for (String pair : List.of("sort", "text")) {
      double truth = pair.equals("sort") ? jmhSort : jmhText;
      int within = 0;
      int contains = 0;
      for (int i = 0; i < jvms; i++) {
        double[] r = runChild(pair);
        boolean near = Math.abs(r[0] / truth - 1) <= 0.10;
        boolean in = r[1] <= truth && truth <= r[2];
        within += near ? 1 : 0;
        contains += in ? 1 : 0;
        System.out.printf(Locale.ROOT, "  %s JVM %d: %.3fx [%.3f, %.3f] (%+.1f%% off JMH)%s%s,"
            + " %.1f s%n", pair, i + 1, r[0], r[1], r[2], (r[0] / truth - 1) * 100,
            near ? "" : " OFF", in ? "" : " MISSES", r[4]);
      }
      System.out.printf(Locale.ROOT, "%s: within 10%% of JMH in %d of %d; interval contains JMH's"
          + " %.3fx in %d of %d%n", pair, within, jvms, truth, contains, jvms);
    }
    int significant = 0;
    for (int i = 0; i < identical; i++) {
      double[] r = runChild("same");
      significant += r[3] > 0 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "identical approaches: significant in %d of %d fresh JVMs%n",
        significant, identical);
  }

  /** @return speedup, low, high, significant (1 or 0), seconds */
  private static double[] runChild(String pair) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CompareVsJmh.class.getName(), "child", pair).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("child failed: " + lines);
    }
    String[] f = lines.get(lines.size() - 1).trim().split(" ");
    double[] r = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      r[i] = Double.parseDouble(f[i]);
    }
    return r;
  }

  private static void child(String pair) {
    ComparePairs pairs = new ComparePairs();
    long t0 = System.nanoTime();
    Compare.Builder b = Compare.named(pair);
    switch (pair) {
      case "sort" -> b.baseline("boxed", pairs::sortBoxed).add("primitive", pairs::sortPrimitive);
      case "text" -> b.baseline("format", pairs::textFormat).add("builder", pairs::textBuilder);
      default -> b.baseline("a", pairs::sortPrimitive).add("b", pairs::sortPrimitive);
    }
    String warmup = System.getProperty("compare.warmupMillis"); // to try other than the defaults
    if (warmup != null) {
      b.warmupTime(java.time.Duration.ofMillis(Long.parseLong(warmup)));
    }
    Comparison c = b.build().run();
    Comparison.Result r = c.results().stream().filter(x -> !x.isBaseline()).findFirst()
        .orElseThrow();
    System.out.printf(Locale.ROOT, "%.6f %.6f %.6f %d %.2f%n", r.speedup(), r.speedupLow(),
        r.speedupHigh(), r.significant() ? 1 : 0, (System.nanoTime() - t0) / 1e9);
  }
}
