package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Twin of README's "Quick start: perf-jdbc" snippet, on H2. */
class QuickStartTest {

  private static void loadOrders(DataSource ds) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.executeQuery("SELECT COUNT(*) FROM t").close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readmeSnippetRuns() throws Exception {
    DataSource dataSource = BatchWriterTest.dataSource("h2");
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t");
      st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))");
    }
    BatchResult written = BatchWriter.<Long>builder(dataSource, "INSERT INTO t (id, v) VALUES (?, ?)",
            (ps, id) -> { ps.setLong(1, id); ps.setString(2, "v" + id); })
        .chunkSize(1_000).build()
        .write(LongStream.range(0, 100_000).boxed());            // one transaction, lazy input
    long[] seen = {0};
    try (Stream<Long> ids = StreamingQuery.<Long>builder(dataSource, "SELECT id FROM t WHERE id > ?",
            rs -> rs.getLong(1)).build().stream(10L)) {          // really streams; close it
      ids.forEach(id -> seen[0]++);
    }
    QueryPlan plan = Explain.explain(dataSource, "SELECT v FROM t WHERE v = ?", true, "v7");
    TimedDataSource timed = TimedDataSource.builder(dataSource).slowThreshold(Duration.ofMillis(200)).build();
    timed.assertAtMost(2, () -> loadOrders(timed));               // N+1 guard in a test

    assertThat(written.rowsWritten()).isEqualTo(100_000);
    assertThat(seen[0]).isEqualTo(99_989);
    assertThat(plan.findings()).isNotEmpty();
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE t");
    }
  }
}
