package io.github.perfkit.examples;

import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import io.github.perfkit.jdbc.SharedConnection;
import io.github.perfkit.jdbc.TimedDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Step 4: after step 3 the query stage still streams every row of {@code results} into Java to
 * add up the standings. A profile of that stage through a perf-jdbc {@link TimedDataSource} says so
 * ("rows read: 1,000,000 rows from `SELECT ... FROM results`"); the step moves the aggregation into
 * DuckDB ({@code GROUP BY club}), so 40 rows travel instead, and profiles the new reader to show the
 * finding gone.
 */
final class AggregateStep implements DemoStep {

  static final String STANDINGS = "SELECT club, count(*), sum(seconds) FROM results GROUP BY club";

  @Override
  public String title() {
    return "Aggregate in the database (perf-jdbc rows read)";
  }

  @Override
  public Pipeline apply(Pipeline current, Demo demo) throws Exception {
    Pipeline.Reader inSql = db -> {
      Standings standings = new Standings();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(STANDINGS)) {
        while (rs.next()) {
          standings.addClub(rs.getString(1), rs.getLong(2), rs.getLong(3));
        }
      }
      return standings;
    };
    profileReader(demo, "query stage's standings, as step 3 left them", current.reader());
    profileReader(demo, "standings with GROUP BY in DuckDB", inSql);
    return current.withReader("standings aggregated in DuckDB SQL (GROUP BY club)", inSql);
  }

  /** Profiles one reader over a fresh database through a TimedDataSource and prints what it says. */
  private static void profileReader(Demo demo, String label, Pipeline.Reader reader)
      throws Exception {
    try (Connection db = demo.openDatabase()) {
      TimedDataSource timed = TimedDataSource.builder(SharedConnection.dataSource(db)).build();
      Standings[] standings = new Standings[1];
      Profile profile;
      try (Connection c = timed.getConnection()) {
        profile = Profiler.named(label).build().profile(() -> standings[0] = reader.read(c));
      }
      Diagnosis d = profile.diagnosis();
      demo.out().printf("profile of the %s: %s, %s; rows read per shape %s%n", label,
          Demo.millis(profile.wallNanos()), d.headline(), timed.rowsRead());
      List<String> rows = d.findings().stream().filter(f -> f.startsWith("rows read:")).toList();
      if (rows.isEmpty()) {
        demo.out().println("  no rows-read finding");
      }
      rows.forEach(f -> demo.out().println("  finding: " + f));
      d.strategies().stream().filter(s -> s.name().equals("filter in the database")).findFirst()
          .ifPresent(s -> demo.out().println("  first strategy: " + s.name() + ": " + s.why()));
    }
  }

  @Override
  public void report(Demo demo, Demo.Run run) {
    List<Demo.Run> runs = demo.runs();
    Demo.Run previous = runs.size() >= 2 ? runs.get(runs.size() - 2) : demo.baseline();
    var before = previous.stages().breakdown().stage("query");
    var after = run.stages().breakdown().stage("query");
    demo.out().printf("query stage: %s after step 3 -> %s (%.1fx faster), %s in the baseline%n",
        Demo.millis(before.wallNanos()), Demo.millis(after.wallNanos()),
        (double) before.wallNanos() / Math.max(1, after.wallNanos()),
        Demo.millis(demo.baseline().stages().breakdown().stage("query").wallNanos()));
  }
}
