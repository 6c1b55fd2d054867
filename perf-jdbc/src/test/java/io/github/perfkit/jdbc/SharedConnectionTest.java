package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

class SharedConnectionTest {

  @Test
  void helpersRunOnAConnectionYouHoldAndLeaveItOpen() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      st.execute("CREATE TABLE t (id BIGINT)");
      DataSource shared = SharedConnection.dataSource(db);
      BatchResult r = BatchWriter.<Long>builder(shared, "INSERT INTO t (id) VALUES (?)",
          (ps, id) -> ps.setLong(1, id)).build().write(List.of(1L, 2L, 3L));
      assertThat(r.path()).isEqualTo(WritePath.DUCKDB_APPENDER); // unwrap reached the driver
      shared.getConnection().close();
      assertThat(db.isClosed()).isFalse();
      assertThat(db.getAutoCommit()).isTrue(); // restored by the writer
      try (ResultSet rs = st.executeQuery("SELECT SUM(id) FROM t")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(6);
      }
      assertThat(shared.getConnection().isWrapperFor(DuckDBConnection.class)).isTrue();
    }
    assertThatThrownBy(() -> SharedConnection.dataSource(null)).hasMessageContaining("connection");
  }
}
