package io.github.perfkit.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.LongSupplier;

/**
 * Dynamic proxies that time statement executions and report them to a {@link Sink}, which may wrap
 * the result sets they return. A statement proxy is no more thread-safe than the driver's
 * statement.
 */
public final class TimingProxies {

  /** Receives one executed statement. */
  public interface Sink {
    /**
     * Called after each execution.
     *
     * @param sql the statement's SQL text (shape it before exposing it)
     * @param nanos elapsed time
     * @param failed whether it threw
     * @param batch whether it was {@code executeBatch}/{@code executeLargeBatch}
     * @param outermost false when another timing proxy on this thread is already executing this
     *     statement (a wrapper wrapped again): such an execution is the same statement seen twice
     */
    void executed(String sql, long nanos, boolean failed, boolean batch, boolean outermost);

    /**
     * Called with each result set an execution returned ({@code executeQuery}, or
     * {@code getResultSet} after {@code execute}), to wrap it; the default keeps it.
     *
     * @param rs the driver's result set (never null)
     * @param statement the statement the caller holds (the wrapper)
     * @param sql the statement's SQL text
     * @param startNanos when the execution started, on the ticker
     * @return the result set to hand out
     */
    default ResultSet resultSet(ResultSet rs, Statement statement, String sql, long startNanos) {
      return rs;
    }
  }

  /** How many timing proxies are inside an execute call on this thread. */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private TimingProxies() {}

  /**
   * Wraps a connection so that every statement it creates is timed.
   *
   * @param c the connection
   * @param ticker the clock, in nanoseconds
   * @param sink where executions go
   * @return the wrapped connection
   */
  public static Connection connection(Connection c, LongSupplier ticker, Sink sink) {
    return (Connection) Proxy.newProxyInstance(TimingProxies.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, m, args) -> {
          Object r = invoke(c, m, args);
          String name = m.getName();
          if (r instanceof CallableStatement cs && name.equals("prepareCall")) {
            return statement(cs, CallableStatement.class, (String) args[0], ticker, sink);
          }
          if (r instanceof PreparedStatement ps && name.equals("prepareStatement")) {
            return statement(ps, PreparedStatement.class, (String) args[0], ticker, sink);
          }
          if (r instanceof Statement st && name.equals("createStatement")) {
            return statement(st, Statement.class, null, ticker, sink);
          }
          if (name.equals("unwrap") && args[0] == Connection.class) {
            return proxy;
          }
          return r;
        });
  }

  private static Object statement(Statement target, Class<?> type, String preparedSql,
      LongSupplier ticker, Sink sink) {
    long[] lastStart = {0};
    String[] lastSqlText = {null};
    ResultSet[] handedOut = new ResultSet[2]; // the driver's last result set, and its wrapper
    InvocationHandler h = (proxy, m, args) -> {
      String name = m.getName();
      if (name.equals("getResultSet")) {
        Object r = invoke(target, m, args);
        if (!(r instanceof ResultSet rs)) {
          return r;
        }
        if (rs != handedOut[0]) { // the same result set asked for twice is one result set
          handedOut[0] = rs;
          handedOut[1] = sink.resultSet(rs, (Statement) proxy, lastSql(preparedSql, lastSqlText),
              lastStart[0]);
        }
        return handedOut[1];
      }
      if (name.startsWith("execute")) {
        String sql = preparedSql != null ? preparedSql
            : (args != null && args.length > 0 && args[0] instanceof String s ? s : "<batch>");
        boolean batch = name.endsWith("Batch");
        int[] depth = DEPTH.get();
        boolean outermost = depth[0] == 0;
        depth[0]++;
        long t0 = ticker.getAsLong();
        lastStart[0] = t0;
        lastSqlText[0] = sql;
        try {
          Object r = invoke(target, m, args);
          sink.executed(sql, ticker.getAsLong() - t0, false, batch, outermost);
          if (r instanceof ResultSet rs) { // executeQuery
            ResultSet wrapped = sink.resultSet(rs, (Statement) proxy, sql, t0);
            handedOut[0] = rs;
            handedOut[1] = wrapped;
            return wrapped;
          }
          return r;
        } catch (Throwable t) {
          sink.executed(sql, ticker.getAsLong() - t0, true, batch, outermost);
          throw t;
        } finally {
          depth[0]--;
        }
      }
      return invoke(target, m, args);
    };
    return Proxy.newProxyInstance(TimingProxies.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  private static String lastSql(String preparedSql, String[] lastSqlText) {
    return preparedSql != null ? preparedSql : lastSqlText[0] != null ? lastSqlText[0] : "<unknown>";
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
