package io.github.perfkit.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated race-results web site: each page fetch waits like a network round trip, then returns a
 * CSV page of results. Also offers a batch endpoint (several pages in one round trip) and a slow club
 * directory, the lookups that caching and batching will speed up. Deterministic for a given seed;
 * thread-safe.
 */
public final class RaceSite {

  private final long pageLatencyNanos;
  private final long clubLatencyNanos;
  private final int finishersPerRace;
  private final int clubs;
  private final long seed;
  private final AtomicLong pageCalls = new AtomicLong();
  private final AtomicLong batchCalls = new AtomicLong();
  private final AtomicLong clubCalls = new AtomicLong();

  /**
   * Creates a site.
   *
   * @param pageLatency network latency of one page fetch (or of one batch fetch)
   * @param clubLatency latency of one club lookup
   * @param finishersPerRace lines on each results page
   * @param clubs distinct clubs the runners belong to
   * @param seed seed for the synthetic data
   */
  public RaceSite(java.time.Duration pageLatency, java.time.Duration clubLatency, int finishersPerRace,
      int clubs, long seed) {
    this.pageLatencyNanos = pageLatency.toNanos();
    this.clubLatencyNanos = clubLatency.toNanos();
    this.finishersPerRace = finishersPerRace;
    this.clubs = clubs;
    this.seed = seed;
  }

  /** The demo's default site: 8 ms per page, 0.3 ms per club lookup, 200 finishers, 40 clubs. */
  static RaceSite standard() {
    return new RaceSite(java.time.Duration.ofMillis(8), java.time.Duration.ofNanos(300_000), 200, 40,
        2026);
  }

  /**
   * Fetches one race's results page (one simulated round trip).
   *
   * @param raceId the race
   * @return the page: a header line, then {@code bib,runner,clubId,seconds} per finisher
   */
  public String fetchPage(int raceId) {
    pageCalls.incrementAndGet();
    waitNanos(pageLatencyNanos);
    return render(raceId);
  }

  /**
   * Fetches several pages in one simulated round trip (the site's batch endpoint).
   *
   * @param raceIds the races
   * @return each race's page, in the order asked
   */
  public Map<Integer, String> fetchPages(List<Integer> raceIds) {
    batchCalls.incrementAndGet();
    waitNanos(pageLatencyNanos + raceIds.size() * 200_000L); // one round trip + transfer time
    Map<Integer, String> pages = new LinkedHashMap<>();
    for (Integer id : raceIds) {
      pages.put(id, render(id));
    }
    return pages;
  }

  /**
   * Looks up a club's name (one simulated remote call).
   *
   * @param clubId the club
   * @return its name
   */
  public String clubName(int clubId) {
    clubCalls.incrementAndGet();
    waitNanos(clubLatencyNanos);
    return "Club " + (char) ('A' + clubId % 26) + clubId;
  }

  /** @return single-page fetches made so far */
  public long pageCalls() {
    return pageCalls.get();
  }

  /** @return batch fetches made so far */
  public long batchCalls() {
    return batchCalls.get();
  }

  /** @return club lookups made so far */
  public long clubCalls() {
    return clubCalls.get();
  }

  private String render(int raceId) {
    Random random = new Random(seed * 31 + raceId);
    StringBuilder page = new StringBuilder(finishersPerRace * 32);
    page.append("bib,runner,club,seconds\n");
    for (int i = 0; i < finishersPerRace; i++) {
      int bib = raceId * 1000 + i;
      int club = (int) Math.min(clubs - 1, Math.abs(random.nextGaussian()) * clubs / 3);
      int seconds = 1500 + random.nextInt(2400);
      page.append(bib).append(",Runner ").append(raceId).append('-').append(i).append(',')
          .append(club).append(',').append(seconds).append('\n');
    }
    return page.toString();
  }

  private static void waitNanos(long nanos) {
    long deadline = System.nanoTime() + nanos;
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
