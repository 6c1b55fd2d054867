package io.github.perfkit.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The walkthrough's database: an embedded DuckDB holding a {@code results} table with a long history
 * of past races plus what the pipeline stores. The baseline ways to write and read it live here; later
 * steps replace them with perf-jdbc's batched writes and streaming reads.
 */
public final class ResultStore {

  /** Rows of history the table starts with, so that queries have real work to do. */
  static final int HISTORY_ROWS = 1_000_000;

  private ResultStore() {}

  /**
   * Creates the {@code results} table and fills it with {@link #HISTORY_ROWS} synthetic past results
   * (generated inside DuckDB, so this takes well under a second).
   *
   * @param connection an open DuckDB connection
   * @throws SQLException if DuckDB refuses
   */
  public static void createWithHistory(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE results (race_id INTEGER, bib INTEGER, runner VARCHAR, "
          + "club_id INTEGER, club VARCHAR, seconds INTEGER)");
      s.execute("INSERT INTO results SELECT 100000 + i // 500, 100000000 + i, 'Past runner ' || i, "
          + "i % 40, 'Club ' || (i % 40), 1500 + (i * 7919) % 2400 FROM range(" + HISTORY_ROWS
          + ") t(i)");
    }
  }

  /**
   * The baseline write: one INSERT per row, each committed on its own (autocommit).
   *
   * @param connection an open connection in autocommit mode
   * @param rows the rows to store
   * @throws SQLException if an insert fails
   */
  public static void insertRowByRow(Connection connection, List<RaceResult> rows) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO results (race_id, bib, runner, club_id, club, seconds) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (RaceResult r : rows) {
        insert.setInt(1, r.raceId());
        insert.setInt(2, r.bib());
        insert.setString(3, r.runner());
        insert.setInt(4, r.clubId());
        insert.setString(5, r.club());
        insert.setInt(6, r.seconds());
        insert.executeUpdate();
      }
    }
  }

  /**
   * The baseline read: every row into a list in memory, then the standings computed in Java.
   *
   * @param connection an open connection
   * @return club standings
   * @throws SQLException if the query fails
   */
  public static Standings readAllIntoList(Connection connection) throws SQLException {
    List<RaceResult> all = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT race_id, bib, runner, club_id, club, seconds FROM results")) {
      while (rs.next()) {
        all.add(new RaceResult(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getInt(4),
            rs.getString(5), rs.getInt(6)));
      }
    }
    Standings standings = new Standings();
    all.forEach(standings::add);
    return standings;
  }

  /** The query the walkthrough runs per runner: selective, on a column without an index. */
  static final String RUNNER_QUERY = "SELECT race_id, seconds FROM results WHERE bib = ?";

  /**
   * Looks up the results of several runners, one query each.
   *
   * @param connection an open connection
   * @param bibs the runners' bib numbers
   * @return how many rows matched in total
   * @throws SQLException if a query fails
   */
  public static int lookUpRunners(Connection connection, List<Integer> bibs) throws SQLException {
    int found = 0;
    try (PreparedStatement query = connection.prepareStatement(RUNNER_QUERY)) {
      for (int bib : bibs) {
        query.setInt(1, bib);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            found++;
          }
        }
      }
    }
    return found;
  }
}
