package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The one chunk loop behind every write path: failures the paths used to handle each their own way
 * now end the same way, on real H2 (a failure is injected into its driver's statement).
 */
class ChunkLoopTest {

  private static long count(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * H2 connections whose prepared statements throw {@code failure} from the {@code failAt}-th
   * {@code executeBatch} (1-based); everything else is H2's own.
   */
  static DataSource failingExecuteBatch(DataSource h2, int failAt, RuntimeException failure) {
    AtomicInteger batches = new AtomicInteger();
    return (DataSource) Proxy.newProxyInstance(ChunkLoopTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (dsProxy, dm, dargs) -> {
          Object r = call(h2, dm, dargs);
          if (!(r instanceof Connection c)) {
            return r;
          }
          return Proxy.newProxyInstance(ChunkLoopTest.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (cProxy, cm, cargs) -> {
                Object cr = call(c, cm, cargs);
                if (!(cr instanceof PreparedStatement ps)) {
                  return cr;
                }
                return Proxy.newProxyInstance(ChunkLoopTest.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (pProxy, pm, pargs) -> {
                      if (pm.getName().equals("executeBatch")
                          && batches.incrementAndGet() == failAt) {
                        throw failure;
                      }
                      return call(ps, pm, pargs);
                    });
              });
        });
  }

  private static Object call(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * A driver that fails with an unchecked exception while executing a chunk: the chunk is blamed
   * and every row is rolled back. Before the one loop, the executeBatch path let the exception out
   * unwrapped and restoring autocommit then committed the chunks before it.
   */
  @Test
  void anUncheckedDriverFailureInAChunkBlamesTheChunkAndLeavesNoRow() throws Exception {
    DataSource h2 = BatchWriterTest.dataSource("h2");
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_loop_unchecked");
      st.execute("CREATE TABLE pkj_loop_unchecked (id BIGINT PRIMARY KEY)");
    }
    IllegalStateException driverBug = new IllegalStateException("driver bug");
    BatchWriter<Long> writer = BatchWriter.<Long>builder(
            failingExecuteBatch(h2, 2, driverBug), "INSERT INTO pkj_loop_unchecked (id) VALUES (?)",
            (ps, id) -> ps.setLong(1, id))
        .chunkSize(100).build();
    assertThatThrownBy(() -> writer.write(LongStream.range(0, 300).boxed()))
        .isInstanceOfSatisfying(BatchWriteException.class, e -> {
          assertThat(e.kind()).isEqualTo(BatchWriteException.Kind.CHUNK);
          assertThat(e.chunkIndex()).isEqualTo(1);
          assertThat(e.rowIndex()).isEqualTo(100);
          assertThat(e.rowsCommitted()).isZero();
          assertThat(e.getCause()).isSameAs(driverBug);
        });
    assertThat(count(h2, "pkj_loop_unchecked")).isZero();
    assertThat(writer.recorder().snapshot().count()).isEqualTo(2); // chunk 0, then chunk 1 failed
    assertThat(writer.recorder().snapshot().failureCount()).isEqualTo(1);
  }
}
