package io.github.perfkit.examples;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Per-club finisher count and mean time, accumulated one result at a time. Not thread-safe. */
public final class Standings {

  private final Map<String, long[]> byClub = new HashMap<>(); // club -> {count, totalSeconds}
  private long rows;

  /**
   * Adds one result.
   *
   * @param result the result
   */
  public void add(RaceResult result) {
    long[] acc = byClub.computeIfAbsent(result.club(), c -> new long[2]);
    acc[0]++;
    acc[1] += result.seconds();
    rows++;
  }

  /**
   * Adds a club's figures aggregated elsewhere (in SQL), as if its results had been added one by
   * one.
   *
   * @param club the club
   * @param finishers how many results
   * @param totalSeconds their summed time
   */
  public void addClub(String club, long finishers, long totalSeconds) {
    long[] acc = byClub.computeIfAbsent(club, c -> new long[2]);
    acc[0] += finishers;
    acc[1] += totalSeconds;
    rows += finishers;
  }

  /** @return how many results were added */
  public long rows() {
    return rows;
  }

  /**
   * The fastest clubs by mean time.
   *
   * @param n how many
   * @return "club (mean s)" entries, fastest first
   */
  public List<String> fastest(int n) {
    return byClub.entrySet().stream()
        .sorted(Comparator.comparingDouble(e -> (double) e.getValue()[1] / e.getValue()[0]))
        .limit(n)
        .map(e -> String.format("%s (%.0f s)", e.getKey(), (double) e.getValue()[1] / e.getValue()[0]))
        .collect(Collectors.toList());
  }
}
