package io.github.perfkit.jdbc.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.Arrays;

/**
 * A {@link PreparedStatement} stand-in that records what a binder sets, so that the values of one
 * row can be sent through a faster path than {@code executeBatch} (PostgreSQL COPY, DuckDB's
 * Appender). Only the plain {@code setXxx(index, value)} setters are supported; anything else throws
 * {@link UnsupportedOperationException}, which makes the writer fall back to {@code executeBatch}
 * when it happens on the first row. Not thread-safe: one per write.
 */
public final class CapturedRow implements InvocationHandler {

  private final Object[] values;
  private final boolean[] set;
  private final PreparedStatement proxy;

  /** @param parameters the statement's number of {@code ?} placeholders */
  public CapturedRow(int parameters) {
    this.values = new Object[parameters];
    this.set = new boolean[parameters];
    this.proxy = (PreparedStatement) Proxy.newProxyInstance(CapturedRow.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, this);
  }

  /** @return the stand-in to hand to the binder */
  public PreparedStatement statement() {
    return proxy;
  }

  /** Forgets the previous row. */
  public void clear() {
    Arrays.fill(values, null);
    Arrays.fill(set, false);
  }

  /**
   * @return the values of the row just bound, index 0 for parameter 1
   * @throws IllegalStateException naming the first parameter the binder did not set
   */
  public Object[] values() {
    for (int i = 0; i < set.length; i++) {
      if (!set[i]) {
        throw new IllegalStateException("the binder did not set parameter " + (i + 1));
      }
    }
    return values;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) {
    String name = method.getName();
    switch (name) {
      case "toString":
        return "CapturedRow" + Arrays.toString(values);
      case "hashCode":
        return System.identityHashCode(self);
      case "equals":
        return self == args[0];
      case "clearParameters":
        clear();
        return null;
      default:
        break;
    }
    if (name.startsWith("set") && args != null && args.length >= 2
        && method.getParameterTypes()[0] == int.class && supported(name, args.length)) {
      int index = (Integer) args[0];
      if (index < 1 || index > values.length) {
        throw new IllegalArgumentException("parameter index " + index + " is out of range 1.."
            + values.length);
      }
      values[index - 1] = name.equals("setNull") ? null : args[1];
      set[index - 1] = true;
      return null;
    }
    throw new UnsupportedOperationException(name + " is not supported on the fast write path");
  }

  private static boolean supported(String setter, int arguments) {
    switch (setter) {
      case "setNull":
      case "setObject":
      case "setTimestamp":
      case "setDate":
      case "setTime":
        return true; // the calendar / type / scale variants only add hints
      case "setBoolean":
      case "setByte":
      case "setShort":
      case "setInt":
      case "setLong":
      case "setFloat":
      case "setDouble":
      case "setBigDecimal":
      case "setString":
      case "setNString":
      case "setBytes":
        return arguments == 2;
      default:
        return false;
    }
  }
}
