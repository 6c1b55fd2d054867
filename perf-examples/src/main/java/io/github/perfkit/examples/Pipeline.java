package io.github.perfkit.examples;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The walkthrough's race-results pipeline: <b>fetch</b> pages, <b>parse</b> them, <b>enrich</b> each
 * result with its club's name, <b>store</b> the rows, then <b>query</b> (club standings and runner
 * look-ups). Each stage is pluggable, so every optimization step of the walkthrough replaces exactly
 * one stage and the rest stays the same. Immutable: the {@code with...} methods return a new pipeline.
 */
public final class Pipeline {

  /** Fetches the pages of the given races. */
  @FunctionalInterface
  public interface Fetcher {
    /**
     * @param raceIds the races
     * @return race id to page
     * @throws Exception if fetching fails
     */
    Map<Integer, String> fetch(List<Integer> raceIds) throws Exception;
  }

  /** Stores rows. */
  @FunctionalInterface
  public interface Writer {
    /**
     * @param db the database
     * @param rows the rows to store
     * @throws Exception if storing fails
     */
    void write(Connection db, List<RaceResult> rows) throws Exception;
  }

  /** Reads every stored row into standings. */
  @FunctionalInterface
  public interface Reader {
    /**
     * @param db the database
     * @return the standings
     * @throws Exception if reading fails
     */
    Standings read(Connection db) throws Exception;
  }

  /** Looks up runners by bib. */
  @FunctionalInterface
  public interface RunnerLookup {
    /**
     * @param db the database
     * @param bibs bib numbers
     * @return rows found
     * @throws Exception if a query fails
     */
    int lookUp(Connection db, List<Integer> bibs) throws Exception;
  }

  /** Marks where a stage starts; closing the returned scope ends it. */
  @FunctionalInterface
  public interface Stages {
    /**
     * @param name the stage
     * @return a scope to close when the stage ends
     */
    AutoCloseable stage(String name);
  }

  /** What one run produced, to check that an optimized pipeline computes the same answer. */
  public record Outcome(int rowsStored, long rowsRead, int runnersFound, List<String> fastestClubs) {}

  private final List<String> changes;
  private final Fetcher fetcher;
  private final Function<Integer, String> clubLookup;
  private final Writer writer;
  private final Reader reader;
  private final RunnerLookup runnerLookup;

  private Pipeline(List<String> changes, Fetcher fetcher, Function<Integer, String> clubLookup,
      Writer writer, Reader reader, RunnerLookup runnerLookup) {
    this.changes = List.copyOf(changes);
    this.fetcher = fetcher;
    this.clubLookup = clubLookup;
    this.writer = writer;
    this.reader = reader;
    this.runnerLookup = runnerLookup;
  }

  /**
   * The slow starting point: pages fetched one after another, every club looked up remotely, rows
   * inserted one by one in autocommit, everything read into a list, one query per runner.
   *
   * @param site the simulated site
   * @return the baseline pipeline
   */
  public static Pipeline baseline(RaceSite site) {
    Fetcher oneByOne = raceIds -> {
      Map<Integer, String> pages = new java.util.LinkedHashMap<>();
      for (int id : raceIds) {
        pages.put(id, site.fetchPage(id));
      }
      return pages;
    };
    return new Pipeline(List.of(), oneByOne, site::clubName, ResultStore::insertRowByRow,
        ResultStore::readAllIntoList, ResultStore::lookUpRunners);
  }

  /** @return what was changed against the baseline, in order */
  public List<String> changes() {
    return changes;
  }

  /** @return the club lookup in use, for a step that wraps it */
  public Function<Integer, String> clubLookup() {
    return clubLookup;
  }

  /** @return the standings reader in use, for a step that profiles it */
  public Reader reader() {
    return reader;
  }

  /** @return the fetcher in use, for a step that wraps it */
  public Fetcher fetcher() {
    return fetcher;
  }

  /**
   * @param change what changed, e.g. "memoized club lookup"
   * @param replacement the new fetcher
   * @return a new pipeline
   */
  public Pipeline withFetcher(String change, Fetcher replacement) {
    return new Pipeline(plus(change), Objects.requireNonNull(replacement, "replacement"), clubLookup,
        writer, reader, runnerLookup);
  }

  /**
   * @param change what changed
   * @param replacement the new club lookup
   * @return a new pipeline
   */
  public Pipeline withClubLookup(String change, Function<Integer, String> replacement) {
    return new Pipeline(plus(change), fetcher, Objects.requireNonNull(replacement, "replacement"),
        writer, reader, runnerLookup);
  }

  /**
   * @param change what changed
   * @param replacement the new writer
   * @return a new pipeline
   */
  public Pipeline withWriter(String change, Writer replacement) {
    return new Pipeline(plus(change), fetcher, clubLookup,
        Objects.requireNonNull(replacement, "replacement"), reader, runnerLookup);
  }

  /**
   * @param change what changed
   * @param replacement the new reader
   * @return a new pipeline
   */
  public Pipeline withReader(String change, Reader replacement) {
    return new Pipeline(plus(change), fetcher, clubLookup, writer,
        Objects.requireNonNull(replacement, "replacement"), runnerLookup);
  }

  /**
   * @param change what changed
   * @param replacement the new runner lookup
   * @return a new pipeline
   */
  public Pipeline withRunnerLookup(String change, RunnerLookup replacement) {
    return new Pipeline(plus(change), fetcher, clubLookup, writer, reader,
        Objects.requireNonNull(replacement, "replacement"));
  }

  private List<String> plus(String change) {
    Objects.requireNonNull(change, "change");
    List<String> all = new ArrayList<>(changes);
    all.add(change);
    return all;
  }

  /**
   * Runs every stage once.
   *
   * @param raceIds the races to process
   * @param runnerBibs the runners to look up afterwards
   * @param db a database prepared with {@link ResultStore#createWithHistory}
   * @param stages marks the stages for measurement
   * @return what the run produced
   * @throws Exception if a stage fails
   */
  public Outcome run(List<Integer> raceIds, List<Integer> runnerBibs, Connection db, Stages stages)
      throws Exception {
    Map<Integer, String> pages;
    try (AutoCloseable s = stages.stage("fetch")) {
      pages = fetcher.fetch(raceIds);
    }
    List<RaceResult> parsed = new ArrayList<>();
    try (AutoCloseable s = stages.stage("parse")) {
      for (Map.Entry<Integer, String> page : pages.entrySet()) {
        parsed.addAll(Parser.parse(page.getKey(), page.getValue()));
      }
    }
    List<RaceResult> enriched = new ArrayList<>(parsed.size());
    try (AutoCloseable s = stages.stage("enrich")) {
      for (RaceResult r : parsed) {
        enriched.add(r.withClub(clubLookup.apply(r.clubId())));
      }
    }
    try (AutoCloseable s = stages.stage("store")) {
      writer.write(db, enriched);
    }
    Standings standings;
    int found;
    try (AutoCloseable s = stages.stage("query")) {
      standings = reader.read(db);
      found = runnerLookup.lookUp(db, runnerBibs);
    }
    return new Outcome(enriched.size(), standings.rows(), found, standings.fastest(3));
  }
}
