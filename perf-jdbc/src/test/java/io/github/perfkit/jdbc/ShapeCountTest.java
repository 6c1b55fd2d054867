package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link TimedDataSource#countShapes()}: statements by shape on the calling thread only, nested
 * counts adding up, a statement behind two wrappers counted once.
 */
class ShapeCountTest {

  private static void query(DataSource ds, String sql, int times) {
    try (Connection c = ds.getConnection()) {
      for (int i = 0; i < times; i++) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setInt(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void countsThisThreadsStatementsByShape() throws Exception {
    TimedDataSource timed = TimedDataSource.builder(BatchWriterTest.dataSource("h2")).build();
    TimedDataSource twice = TimedDataSource.builder(timed).build(); // a wrapper around a wrapper
    Map<String, Long> outer;
    Map<String, Long> inner;
    try (TimedDataSource.ShapeCount count = TimedDataSource.countShapes()) {
      query(twice, "SELECT CAST(? AS INT) AS a", 12);
      try (TimedDataSource.ShapeCount nested = TimedDataSource.countShapes()) {
        query(timed, "SELECT CAST(? AS INT) AS b", 3);
        // another thread's statements are not this thread's
        CompletableFuture.runAsync(() -> query(timed, "SELECT CAST(? AS INT) AS c", 5)).get();
        inner = Map.copyOf(nested.counts());
      }
      outer = Map.copyOf(count.counts());
    }
    assertThat(inner).isEqualTo(Map.of("SELECT CAST(? AS INT) AS b", 3L));
    assertThat(outer).isEqualTo(Map.of("SELECT CAST(? AS INT) AS a", 12L,
        "SELECT CAST(? AS INT) AS b", 3L));
    query(timed, "SELECT CAST(? AS INT) AS a", 1); // closed: nothing counts any more
    assertThat(outer.get("SELECT CAST(? AS INT) AS a")).isEqualTo(12L);
  }
}
