package io.github.perfkit.bench.core;

import io.github.perfkit.core.Compare;
import io.github.perfkit.core.Comparison;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The profiler's overhead measured with perfkit's own {@link Compare}: the plain {@link CpuSection}
 * and the same section under {@link Profiler} (defaults) run in interleaved, shuffled rounds in one
 * JVM, so a drift of the machine's speed hits both alike, and the ratio comes with a bootstrap 95%
 * interval and a Mann-Whitney p-value. It complements {@link ProfilerBenchmark}, where JMH measures
 * all forks of one benchmark before the other.
 *
 * <p>Run: {@code java -cp perf-bench/target/benchmarks.jar
 * io.github.perfkit.bench.core.ProfilerOverhead [rounds of the section, default 40] [measured rounds,
 * default 30]}. Prints the comparison ("speedup" below 1 is the slowdown the profile costs) and the
 * fixed cost of each profile: its call's wall time minus the section's (starting the recording, the
 * thread census, reading the recording back), for the first profile in the JVM and the later ones.
 */
public final class ProfilerOverhead {

  private static volatile long sink;

  private ProfilerOverhead() {}

  /**
   * @param args section rounds (default 40), measured rounds (default 30)
   */
  public static void main(String[] args) {
    int sectionRounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    CpuSection section = new CpuSection(sectionRounds);
    List<Long> fixedNanos = new ArrayList<>(); // Compare calls approaches on this thread
    Comparison c = Compare.named("profiler overhead, section rounds=" + sectionRounds)
        .baseline("plain", section::run)
        .add("profiled", () -> {
          long t0 = System.nanoTime();
          Profile p = Profiler.named("overhead").build().profile(() -> sink = section.run());
          fixedNanos.add(System.nanoTime() - t0 - p.wallNanos());
          return p;
        })
        .warmupRounds(3)
        .rounds(rounds)
        .build().run();
    System.out.println("JDK " + Runtime.version());
    System.out.print(c.text());
    Comparison.Result profiled = c.result("profiled");
    System.out.printf("profiled / plain (medians): %.3fx [95%%: %.3f, %.3f], p=%.3g%n",
        1 / profiled.speedup(), 1 / profiled.speedupHigh(), 1 / profiled.speedupLow(),
        profiled.pValue());
    List<Long> later = new ArrayList<>(fixedNanos.subList(1, fixedNanos.size()));
    Collections.sort(later);
    System.out.printf("fixed cost per profile: first %.1f ms; later %d: median %.1f ms, min %.1f,"
        + " max %.1f%n", fixedNanos.get(0) / 1e6, later.size(), later.get(later.size() / 2) / 1e6,
        later.get(0) / 1e6, later.get(later.size() - 1) / 1e6);
  }
}
