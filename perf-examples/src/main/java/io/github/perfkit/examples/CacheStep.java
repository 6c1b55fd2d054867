package io.github.perfkit.examples;

import io.github.perfkit.cache.CacheStatistics;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import java.time.Duration;

/**
 * Step 1: the enrich stage waits on a remote club lookup for every one of 8,000 results, yet there
 * are only 40 clubs. Memoize the lookup with perf-cache and show the hit ratio and the time saved.
 */
final class CacheStep implements DemoStep {

  private MemoizedFunction<Integer, String> clubs;

  @Override
  public String title() {
    return "Cache the club lookup (perf-cache)";
  }

  @Override
  public Pipeline apply(Pipeline current, Demo demo) {
    clubs = Memoizer.named("clubs").maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(10))
        .minimumRequests(100).build(demo.site()::clubName);
    return current.withClubLookup("club lookup memoized (perf-cache)", clubs);
  }

  @Override
  public void report(Demo demo, Demo.Run run) {
    CacheStatistics s = clubs.stats();
    long before = demo.baseline().stages().breakdown().stage("enrich").wallNanos();
    long after = run.stages().breakdown().stage("enrich").wallNanos();
    demo.out().printf("cache 'clubs': %d lookups, %d loads, hit ratio %.3f, mean load %s%n",
        s.lifetime().requests(), s.loads(), s.hitRatio(),
        Demo.millis(s.meanLoadTime().toNanos()));
    demo.out().printf("enrich stage: %s -> %s (%.0fx faster)%n", Demo.millis(before),
        Demo.millis(after), (double) before / Math.max(1, after));
    demo.out().println(clubs.checkTarget().explanation());
  }
}
