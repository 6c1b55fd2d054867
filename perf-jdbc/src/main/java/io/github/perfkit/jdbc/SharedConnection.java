package io.github.perfkit.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs perf-jdbc's helpers, which take a {@link DataSource}, on a connection you already hold: an
 * embedded DuckDB (which lives as long as its connection), a test's connection, a transaction you
 * manage. Thread-safety is the connection's: use it from one thread at a time.
 */
public final class SharedConnection {

  private SharedConnection() {}

  /**
   * A data source that hands out {@code connection} every time and ignores {@code close()} on
   * what it hands out; everything else, {@code unwrap} included, reaches the connection. The
   * helpers still change autocommit for their work and restore it.
   *
   * @param connection the connection; you close it
   * @return the data source
   */
  public static DataSource dataSource(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    Connection unclosable = (Connection) Proxy.newProxyInstance(
        SharedConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              return null;
            case "isClosed":
              return connection.isClosed();
            case "equals":
              return proxy == args[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            default:
              break;
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
      public void setLogWriter(PrintWriter out) {
        // no log writer
      }

      @Override
      public void setLoginTimeout(int seconds) {
        // no login
      }

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper of " + iface.getName());
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }

      @Override
      public String toString() {
        return "SharedConnection[" + connection + "]";
      }
    };
  }
}
