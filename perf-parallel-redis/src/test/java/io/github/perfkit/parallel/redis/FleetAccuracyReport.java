package io.github.perfkit.parallel.redis;

import io.github.perfkit.testkit.LoopbackServices;
import java.util.UUID;

/**
 * Prints the fleet's accuracy (granted / limit) at 1, 2, 4 and 8 instances, each a JVM calling as
 * fast as it can from two threads for 10 s through one limit of 200 per second on the loopback
 * Redis, measured from 1 s to 10 s (the first second spends the full bucket). Not a test: the
 * figures for README. Run after {@code ./mvnw -o -q -pl perf-parallel-redis -am test-compile}:
 * {@code java -cp <test class path> io.github.perfkit.parallel.redis.FleetAccuracyReport}.
 */
public final class FleetAccuracyReport {

  public static void main(String[] args) throws Exception {
    var redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    System.out.println("| instances | granted/s (limit 200/s) | accuracy | smallest share |"
        + " round trips per permit |");
    System.out.println("|---:|---:|---:|---:|---:|");
    for (int n : new int[] {1, 2, 4, 8}) {
      try (Fleet fleet = new Fleet(n, uri, "report-" + n + "-" + UUID.randomUUID(), 200, 1_000,
          4_000 + 1_500L * n, 10_000, 2, 1)) {
        fleet.await(120_000);
        long total = fleet.granted(10, 100);
        long smallest = Long.MAX_VALUE;
        long trips = 0;
        for (int i = 0; i < n; i++) {
          smallest = Math.min(smallest, fleet.granted(i, 10, 100));
          trips += fleet.sample(i, 100).roundTrips() - fleet.sample(i, 10).roundTrips();
        }
        double rate = fleet.rate(10, 100);
        System.out.printf("| %d | %.1f | %.3f | %.1f%% (fair: %.1f%%) | %.3f |%n", n, rate,
            rate / 200, 100.0 * smallest / total, 100.0 / n, (double) trips / total);
      }
    }
  }
}
