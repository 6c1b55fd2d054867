package io.github.perfkit.bench.jdbc;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
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

  /**
   * A DataSource that hands out {@code connection} and ignores {@code close()}, so perfkit and the
   * raw contenders use the very same session.
   */
  static DataSource sharing(Connection connection) {
    Connection unclosable = (Connection) Proxy.newProxyInstance(Databases.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            return null;
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new DataSource() {
      @Override
      public Connection getConnection() {
        return unclosable;
      }

      @Override
      public Connection getConnection(String user, String password) {
        return unclosable;
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }
}
