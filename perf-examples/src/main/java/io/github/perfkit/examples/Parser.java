package io.github.perfkit.examples;

import java.util.ArrayList;
import java.util.List;

/** Parses a results page into {@link RaceResult}s (the CPU-bound stage). Stateless, thread-safe. */
public final class Parser {

  private Parser() {}

  /**
   * Parses one page.
   *
   * @param raceId the race the page belongs to
   * @param page the page text
   * @return one result per finisher line, club name not yet filled in
   */
  public static List<RaceResult> parse(int raceId, String page) {
    String[] lines = page.split("\n");
    List<RaceResult> results = new ArrayList<>(lines.length);
    for (int i = 1; i < lines.length; i++) { // line 0 is the header
      String[] fields = lines[i].split(",");
      results.add(new RaceResult(raceId, Integer.parseInt(fields[0]), fields[1].trim(),
          Integer.parseInt(fields[2]), null, Integer.parseInt(fields[3])));
    }
    return results;
  }
}
