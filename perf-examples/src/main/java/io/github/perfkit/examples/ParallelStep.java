package io.github.perfkit.examples;

import io.github.perfkit.core.Reports;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 2: the fetch stage waits on 40 page fetches one after another. Run them on perf-parallel's
 * I/O executor (virtual threads on Java 21+), at most 16 at once, keeping the input order.
 */
final class ParallelStep implements DemoStep {

  private final BoundedExecutor io = Parallel.io("fetch").maxConcurrency(16).build();

  @Override
  public String title() {
    return "Fetch pages concurrently (perf-parallel)";
  }

  @Override
  public Pipeline apply(Pipeline current, Demo demo) {
    RaceSite site = demo.site();
    return current.withFetcher("pages fetched on the I/O executor, 16 at once (perf-parallel)",
        raceIds -> {
          List<String> pages = io.map(raceIds, site::fetchPage);
          Map<Integer, String> byRace = new LinkedHashMap<>();
          for (int i = 0; i < raceIds.size(); i++) {
            byRace.put(raceIds.get(i), pages.get(i));
          }
          return byRace;
        });
  }

  @Override
  public void report(Demo demo, Demo.Run run) {
    long before = demo.baseline().stages().breakdown().stage("fetch").wallNanos();
    long after = run.stages().breakdown().stage("fetch").wallNanos();
    demo.out().printf("fetch stage: %s -> %s (%.1fx faster) on %s%n", Reports.duration(before),
        Reports.duration(after), (double) before / Math.max(1, after),
        io.usesVirtualThreads() ? "virtual threads" : "platform threads");
    io.close();
  }
}
