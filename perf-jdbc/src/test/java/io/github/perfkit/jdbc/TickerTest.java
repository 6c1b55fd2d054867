package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.LatencySnapshot;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import io.github.perfkit.core.Ticker;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every perf-jdbc primitive that times something reads its clock from the builder's
 * {@code ticker}: with a fake one the recorded durations are exact.
 */
class TickerTest {

  static final long MS = 1_000_000;

  /** A ticker that moves by {@code step} nanoseconds at every read. */
  static Ticker stepping(long step) {
    AtomicLong now = new AtomicLong(1_000 * MS);
    return () -> now.getAndAdd(step);
  }

  /**
   * The clock moves only while the binder runs, 7 ms per row: each chunk's sample is exactly the
   * time to bind its rows, on every path (the bulk paths bind the first row before their load
   * starts; it still counts toward chunk 0), and the result's elapsed time is the sum.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"h2,JDBC_BATCH", "mariadb,MARIADB_LOAD_DATA", "postgres,POSTGRES_BINARY_COPY",
      "duckdb,DUCKDB_APPENDER"})
  void batchWriterRecordsEachChunkExactlyOnTheInjectedTicker(String db, WritePath path)
      throws Exception {
    DataSource ds = BatchWriterTest.dataSource(db);
    String table = "pkj_ticker_" + db;
    try (Connection keep = ds.getConnection(); Statement st = keep.createStatement()) {
      DataSource use = db.equals("duckdb") ? new BatchWriterTest.SingleConnectionDataSource(keep)
          : ds;
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v VARCHAR(20))");
      AtomicLong clock = new AtomicLong(5_000 * MS);
      ParameterBinder<Long> binder = (ps, id) -> {
        clock.addAndGet(7 * MS);
        if (id == 1_004) {
          throw new IllegalStateException("the binder failed");
        }
        ps.setLong(1, id);
        ps.setString(2, "v" + id);
      };
      String insert = "INSERT INTO " + table + " (id, v) VALUES (?, ?)";

      BatchWriter<Long> writer = BatchWriter.builder(use, insert, binder).chunkSize(3)
          .ticker(clock::get).build();
      BatchResult result = writer.write(LongStream.range(0, 7).boxed());
      assertThat(result.path()).isEqualTo(path);
      assertThat(result.chunks()).isEqualTo(3);
      assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(49));
      LatencySnapshot chunks = writer.recorder().snapshot();
      assertThat(chunks.count()).isEqualTo(3);
      assertThat(chunks.failureCount()).isZero();
      assertThat(chunks.totalNanos()).isEqualTo(49 * MS); // 21 + 21 + 7
      assertThat(chunks.countAtOrBelow(8 * MS)).isEqualTo(1); // the last chunk, of one row

      // row 1,004 fails in its binder after 7 ms: chunk 1 is a failure sample of 14 ms
      BatchWriter<Long> failing = BatchWriter.builder(use, insert, binder).chunkSize(3)
          .ticker(clock::get).recorder(LatencyRecorder.create("failing")).build();
      assertThatThrownBy(() -> failing.write(LongStream.range(1_000, 1_007).boxed()))
          .isInstanceOfSatisfying(BatchWriteException.class, e -> {
            assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.ROW);
            assertThat(e.rowIndex()).isEqualTo(4);
          });
      LatencySnapshot failed = failing.recorder().snapshot();
      assertThat(failed.count()).isEqualTo(2);
      assertThat(failed.failureCount()).isEqualTo(1);
      assertThat(failed.totalNanos()).isEqualTo(35 * MS); // 21 + 14
      st.execute("DROP TABLE " + table);
    }
  }

  @Test
  void streamingQueryTimesTheQueryOnTheInjectedTicker() {
    StreamingQuery<Long> query = StreamingQuery.builder(BatchWriterTest.dataSource("h2"),
        "SELECT X FROM SYSTEM_RANGE(1, 3)", rs -> rs.getLong(1)).ticker(stepping(5 * MS)).build();
    try (Stream<Long> rows = query.stream()) {
      assertThat(rows).containsExactly(1L, 2L, 3L);
    }
    LatencySnapshot s = query.recorder().snapshot();
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.totalNanos()).isEqualTo(5 * MS);
  }

  @Test
  void timedDataSourceTimesStatementsAndJudgesSlownessOnTheInjectedTicker() throws Exception {
    List<String> slow = new ArrayList<>();
    TimedDataSource timed = TimedDataSource.builder(BatchWriterTest.dataSource("h2"))
        .ticker(stepping(3 * MS)).slowThreshold(Duration.ofMillis(3)).slowLog(slow::add).build();
    TimedDataSource notSlow = TimedDataSource.builder(BatchWriterTest.dataSource("h2"))
        .ticker(stepping(3 * MS)).slowThreshold(Duration.ofMillis(4)).slowLog(slow::add).build();
    for (TimedDataSource ds : List.of(timed, notSlow)) {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        st.execute("SELECT 2");
      }
    }
    for (TimedDataSource ds : List.of(timed, notSlow)) {
      LatencySnapshot s = ds.recorders().get("SELECT ?").snapshot();
      assertThat(s.count()).isEqualTo(2);
      assertThat(s.totalNanos()).isEqualTo(6 * MS);
    }
    assertThat(slow).containsExactly("slow statement (3 ms): SELECT ?",
        "slow statement (3 ms): SELECT ?");
  }
}
