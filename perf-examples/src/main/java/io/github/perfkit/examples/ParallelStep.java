package io.github.perfkit.examples;

import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Guard;
import io.github.perfkit.parallel.Parallel;
import io.github.perfkit.parallel.RequestBatcher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 2: the fetch stage waits on 40 page fetches one after another. Run them on perf-parallel's
 * I/O executor (virtual threads on Java 21+), 16 callers at once, keeping the input order; coalesce
 * their single-page calls into the site's batch endpoint (at most 8 pages or 2 ms per batch); and
 * respect the site's rate limit of 10 requests per 100 ms, retrying a failed request with backoff.
 */
final class ParallelStep implements DemoStep {

  private final BoundedExecutor io = Parallel.io("fetch").maxConcurrency(16).build();
  private final Guard siteGuard = Guard.named("race-site")
      .rateLimit(10, Duration.ofMillis(100))
      .retry(3, Duration.ofMillis(20))
      .build();
  private RequestBatcher<Integer, String> pages;
  private long pageCallsBefore;
  private long batchCallsBefore;

  @Override
  public String title() {
    return "Fetch pages concurrently, batched and rate-limited (perf-parallel)";
  }

  @Override
  public Pipeline apply(Pipeline current, Demo demo) {
    RaceSite site = demo.site();
    pages = RequestBatcher.<Integer, String>builder("pages",
            ids -> siteGuard.call(() -> site.fetchPages(List.copyOf(ids))))
        .maxBatchSize(8).maxDelay(Duration.ofMillis(2)).build();
    pageCallsBefore = site.pageCalls();
    batchCallsBefore = site.batchCalls();
    return current.withFetcher("pages fetched on the I/O executor, 16 callers, batched by 8, "
        + "10 requests per 100 ms (perf-parallel)",
        raceIds -> {
          List<String> fetched = io.map(raceIds, pages::get);
          Map<Integer, String> byRace = new LinkedHashMap<>();
          for (int i = 0; i < raceIds.size(); i++) {
            byRace.put(raceIds.get(i), fetched.get(i));
          }
          return byRace;
        });
  }

  @Override
  public void report(Demo demo, Demo.Run run) {
    long before = demo.baseline().stages().breakdown().stage("fetch").wallNanos();
    long after = run.stages().breakdown().stage("fetch").wallNanos();
    demo.out().printf("fetch stage: %s -> %s (%.1fx faster) on %s%n", Demo.millis(before),
        Demo.millis(after), (double) before / Math.max(1, after),
        io.usesVirtualThreads() ? "virtual threads" : "platform threads");
    demo.out().printf("site requests for %d pages: %d batch requests (%d single), "
            + "rate limit 10 per 100 ms held by Resilience4j%n",
        pages.requestCount(), demo.site().batchCalls() - batchCallsBefore,
        demo.site().pageCalls() - pageCallsBefore);
  }

  @Override
  public void close() {
    pages.close();
    io.close();
  }
}
