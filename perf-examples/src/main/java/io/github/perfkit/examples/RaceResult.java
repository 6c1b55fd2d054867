package io.github.perfkit.examples;

/**
 * One finisher of one race, as the pipeline stores it.
 *
 * @param raceId the race
 * @param bib the runner's bib number
 * @param runner the runner's name
 * @param clubId the club's id on the results page
 * @param club the club's name, filled in by the enrich stage
 * @param seconds finishing time in seconds
 */
public record RaceResult(int raceId, int bib, String runner, int clubId, String club, int seconds) {

  /**
   * The same result with the club's name filled in.
   *
   * @param clubName the name
   * @return a new result
   */
  public RaceResult withClub(String clubName) {
    return new RaceResult(raceId, bib, runner, clubId, clubName, seconds);
  }
}
