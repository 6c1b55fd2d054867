package io.github.perfkit.bench.jdbc;

import io.github.perfkit.testkit.LoopbackServices;
import io.github.perfkit.jdbc.SharedConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Connections for the JDBC benchmarks: the loopback servers and an in-memory DuckDB. */
final class Databases {

  private Databases() {}

  /**
   * @param db postgres, mariadb or duckdb
   * @param urlSuffix extra URL properties (MariaDB), or ""
   * @return an open connection
   * @throws SQLException if the server is down
   */
  static Connection open(String db, String urlSuffix) throws SQLException {
    return switch (db) {
      case "postgres" -> {
        var s = LoopbackServices.postgres();
        yield DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
      }
      case "mariadb" -> {
        var s = LoopbackServices.mariadb();
        String url = s.jdbcUrl() + (urlSuffix.isEmpty() ? ""
            : (s.jdbcUrl().contains("?") ? "&" : "?") + urlSuffix);
        yield DriverManager.getConnection(url, s.user(), s.password());
      }
      case "duckdb" -> DriverManager.getConnection("jdbc:duckdb:");
      default -> throw new IllegalArgumentException(db);
    };
  }

  /** All contenders share one session: perf-jdbc's helper for exactly this. */
  static DataSource sharing(Connection connection) {
    return SharedConnection.dataSource(connection);
  }
}
