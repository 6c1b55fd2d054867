package io.github.perfkit.parallel.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance of a fleet, run as its own JVM by {@link Fleet}: builds the limit, waits for the
 * common start instant, calls {@code tryAcquire()} as fast as it can from a few threads, and prints
 * its exact counters every 100 ms on the common grid: {@code S k granted rejected fallbacks errors
 * roundTrips mode}. Arguments: uri name permits periodMillis startEpochMillis durationMillis threads
 * assumedInstances.
 */
public final class FleetChild {

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String name = args[1];
    int permits = Integer.parseInt(args[2]);
    Duration period = Duration.ofMillis(Long.parseLong(args[3]));
    long start = Long.parseLong(args[4]);
    long duration = Long.parseLong(args[5]);
    int threads = Integer.parseInt(args[6]);
    int assumed = Integer.parseInt(args[7]);
    LongAdder errors = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    try (FleetRateLimit limit = FleetRateLimit.redis(uri, name, permits, period)
        .assumedInstances(assumed).build()) {
      System.out.println("BUILT " + limit.mode() + " " + System.currentTimeMillis());
      sleepUntil(start);
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            try {
              limit.tryAcquire();
            } catch (RuntimeException e) {
              errors.increment();
              System.out.println("ERROR " + e);
            }
          }
        });
        t.setDaemon(true);
        t.start();
        callers.add(t);
      }
      for (int k = 0; k * 100L <= duration; k++) {
        sleepUntil(start + k * 100L);
        FleetStats s = limit.stats();
        System.out.println("S " + k + " " + s.granted() + " " + s.rejected() + " " + s.fallbacks()
            + " " + errors.sum() + " " + s.redisRoundTrips() + " " + s.mode());
      }
      stop.set(true);
      for (Thread t : callers) {
        t.join(2_000);
      }
    }
    System.out.println("DONE");
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long wait;
    while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(wait, 50));
    }
  }
}
