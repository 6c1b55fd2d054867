package io.github.perfkit.examples;

import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.Explain;
import io.github.perfkit.jdbc.QueryPlan;
import io.github.perfkit.jdbc.SharedConnection;
import io.github.perfkit.jdbc.StreamingQuery;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Step 3: the store stage inserts row by row with autocommit, and the query stage reads all
 * 1,008,000 rows into a list before aggregating them, then looks runners up with a query that scans
 * the whole table. Store with perf-jdbc's {@link BatchWriter} (on DuckDB: its Appender, in one
 * transaction), aggregate from a {@link StreamingQuery} in constant memory, and add the index that
 * the runner query's plan asks for.
 */
final class JdbcStep implements DemoStep {

  static final String INSERT =
      "INSERT INTO results (race_id, bib, runner, club_id, club, seconds) VALUES (?, ?, ?, ?, ?, ?)";
  static final String ALL = "SELECT race_id, bib, runner, club_id, club, seconds FROM results";
  static final String INDEX = "CREATE INDEX IF NOT EXISTS results_bib ON results (bib)";

  private BatchResult lastWrite;

  @Override
  public String title() {
    return "Batched writes, streaming reads, an index (perf-jdbc)";
  }

  @Override
  public Pipeline apply(Pipeline current, Demo demo) throws Exception {
    explainBeforeAndAfterIndex(demo);
    return current
        .withWriter("rows stored with BatchWriter (perf-jdbc)", (db, rows) -> {
          lastWrite = BatchWriter.<RaceResult>builder(SharedConnection.dataSource(db), INSERT,
                  (ps, r) -> {
                    ps.setInt(1, r.raceId());
                    ps.setInt(2, r.bib());
                    ps.setString(3, r.runner());
                    ps.setInt(4, r.clubId());
                    ps.setString(5, r.club());
                    ps.setInt(6, r.seconds());
                  })
              .chunkSize(2_000).build().write(rows);
        })
        .withReader("standings from a StreamingQuery (perf-jdbc)", db -> {
          Standings standings = new Standings();
          try (Stream<RaceResult> rows = StreamingQuery.<RaceResult>builder(
              SharedConnection.dataSource(db), ALL, rs -> new RaceResult(rs.getInt(1), rs.getInt(2),
                  rs.getString(3), rs.getInt(4), rs.getString(5), rs.getInt(6))).build().stream()) {
            rows.forEach(standings::add);
          }
          return standings;
        })
        .withRunnerLookup("index on results(bib), as the plan suggests", (db, bibs) -> {
          try (Statement st = db.createStatement()) {
            st.execute(INDEX);
          }
          return ResultStore.lookUpRunners(db, bibs);
        });
  }

  private static void explainBeforeAndAfterIndex(Demo demo) throws Exception {
    try (Connection db = demo.openDatabase()) {
      javax.sql.DataSource ds = SharedConnection.dataSource(db);
      QueryPlan before = Explain.explain(ds, ResultStore.RUNNER_QUERY, false, 100_000_123);
      demo.out().println("plan of the runner query, before:");
      print(demo, before);
      try (Statement st = db.createStatement()) {
        st.execute(INDEX);
      }
      QueryPlan after = Explain.explain(ds, ResultStore.RUNNER_QUERY, false, 100_000_123);
      demo.out().println("plan of the runner query, after " + INDEX + ":");
      print(demo, after);
      boolean stillScans = after.findings().stream()
          .anyMatch(f -> f.kind() == QueryPlan.Kind.SEQUENTIAL_SCAN_SUGGEST_INDEX);
      demo.out().println(stillScans
          ? "  -> DuckDB kept the sequential scan: its optimizer did not pick the new ART index for "
              + "this filter, so the index does not pay here (a plan check, not a guess)"
          : "  -> the index removed the full scan");
    }
  }

  private static void print(Demo demo, QueryPlan plan) {
    plan.raw().lines().filter(l -> !l.isBlank()).limit(30)
        .forEach(l -> demo.out().println("    " + l));
    if (plan.findings().isEmpty()) {
      demo.out().println("  findings: none");
    }
    plan.findings().forEach(f -> demo.out().println("  finding: " + f.kind() + ": "
        + f.message()));
  }

  @Override
  public void report(Demo demo, Demo.Run run) {
    for (String stage : new String[] {"store", "query"}) {
      var before = demo.baseline().stages().breakdown().stage(stage);
      var after = run.stages().breakdown().stage(stage);
      demo.out().printf("%s stage: %s -> %s (%.1fx faster), allocated %s -> %s%n", stage,
          Demo.millis(before.wallNanos()), Demo.millis(after.wallNanos()),
          (double) before.wallNanos() / Math.max(1, after.wallNanos()),
          bytes(before.allocatedBytes()), bytes(after.allocatedBytes()));
    }
    if (lastWrite != null) {
      demo.out().printf("store: %d rows via %s, %.0f rows/s%n", lastWrite.rowsWritten(),
          lastWrite.path(), lastWrite.rowsPerSecond());
    }
  }

  private static String bytes(long n) {
    return n < 0 ? "n/a" : String.format("%.1f MiB", n / (1024.0 * 1024.0));
  }
}
