package io.github.perfkit.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/** Dynamic proxies that time statement executions and report them to a {@link Sink}. */
public final class TimingProxies {

  /** Receives one executed statement. */
  public interface Sink {
    /**
     * Called after each execution.
     *
     * @param sql the statement's SQL text (shape it before exposing it)
     * @param nanos elapsed time
     * @param failed whether it threw
     */
    void executed(String sql, long nanos, boolean failed);
  }

  private TimingProxies() {}

  /**
   * Wraps a connection so that every statement it creates is timed.
   *
   * @param c the connection
   * @param sink where executions go
   * @return the wrapped connection
   */
  public static Connection connection(Connection c, Sink sink) {
    return (Connection) Proxy.newProxyInstance(TimingProxies.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, m, args) -> {
          Object r = invoke(c, m, args);
          String name = m.getName();
          if (r instanceof CallableStatement cs && name.equals("prepareCall")) {
            return statement(cs, CallableStatement.class, (String) args[0], sink);
          }
          if (r instanceof PreparedStatement ps && name.equals("prepareStatement")) {
            return statement(ps, PreparedStatement.class, (String) args[0], sink);
          }
          if (r instanceof Statement st && name.equals("createStatement")) {
            return statement(st, Statement.class, null, sink);
          }
          if (name.equals("unwrap") && args[0] == Connection.class) {
            return proxy;
          }
          return r;
        });
  }

  private static Object statement(Statement target, Class<?> type, String preparedSql, Sink sink) {
    InvocationHandler h = (proxy, m, args) -> {
      String name = m.getName();
      if (name.startsWith("execute")) {
        String sql = preparedSql != null ? preparedSql
            : (args != null && args.length > 0 && args[0] instanceof String s ? s : "<batch>");
        long t0 = System.nanoTime();
        try {
          Object r = invoke(target, m, args);
          sink.executed(sql, System.nanoTime() - t0, false);
          return r;
        } catch (Throwable t) {
          sink.executed(sql, System.nanoTime() - t0, true);
          throw t;
        }
      }
      return invoke(target, m, args);
    };
    return Proxy.newProxyInstance(TimingProxies.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
