package io.github.perfkit.parallel.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Four instances in four JVMs, each calling as fast as it can from two threads for 10 s through one
 * limit of 200 per second on the loopback Redis: the fleet gets 200/s within 5%, no instance gets
 * less than 15% of the total, and local reservations keep Redis round trips well below one per
 * permit. Counts are exact (each child's counters at common 100 ms instants).
 */
class FleetAccuracyTest {

  @Test
  void fourJvmsShareTwoHundredPerSecondFairly() throws Exception {
    var redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    String name = "accuracy-" + UUID.randomUUID();
    try (Fleet fleet = new Fleet(4, uri, name, 200, 1_000, 8_000, 10_000, 2, 1)) {
      fleet.await(60_000);
      // from 1 s on: the bucket starts full (burst = 200), which the first second spends
      double rate = fleet.rate(10, 100);
      long total = fleet.granted(10, 100);
      long roundTrips = 0;
      long errors = 0;
      StringBuilder shares = new StringBuilder();
      for (int i = 0; i < fleet.size(); i++) {
        long mine = fleet.granted(i, 10, 100);
        shares.append(String.format(" %.1f%%", 100.0 * mine / total));
        assertThat(mine).as("instance %d's share of %d", i, total).isGreaterThanOrEqualTo(
            (long) Math.ceil(0.15 * total));
        roundTrips += fleet.sample(i, 100).roundTrips() - fleet.sample(i, 10).roundTrips();
        errors += fleet.sample(i, 100).errors();
        assertThat(fleet.sample(i, 100).rejected()).isZero();
      }
      System.out.printf("fleet of 4: %.1f permits/s over 9 s (limit 200/s, %.3f of it), shares%s,"
          + " %.3f Redis round trips per permit, whole run %d permits in 10 s%n", rate,
          rate / 200, shares, (double) roundTrips / total, fleet.granted(0, 100));
      assertThat(errors).isZero();
      assertThat(rate).isBetween(190.0, 210.0);
      assertThat((double) roundTrips / total).isLessThan(0.5);
    }
  }
}
