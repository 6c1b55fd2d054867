package io.github.perfkit.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;

/**
 * A {@link PreparedStatement} stand-in that records what a binder sets, so that the values of one
 * row can be sent through a faster path than {@code executeBatch} (PostgreSQL COPY, DuckDB's
 * Appender). Only the plain {@code setXxx(index, value)} setters are supported (plus
 * {@code setNull}, {@code setObject} and the calendar variants, whose extra arguments are hints);
 * anything else throws {@link UnsupportedOperationException}, which makes the writer fall back to
 * {@code executeBatch} when it happens on the first row. A plain class rather than a dynamic proxy:
 * a setter is one array store. Not thread-safe: one per write.
 */
public final class CapturedRow implements PreparedStatement {

  /** {@link #kind} of a parameter set to SQL NULL. */
  public static final byte NULL = 1;
  /** {@link #kind} of a {@code long}, read with {@link #longAt}. */
  public static final byte LONG = 2;
  /** {@link #kind} of an {@code int}, read with {@link #longAt}. */
  public static final byte INT = 3;
  /** {@link #kind} of a {@code short}, read with {@link #longAt}. */
  public static final byte SHORT = 4;
  /** {@link #kind} of a {@code byte}, read with {@link #longAt}. */
  public static final byte BYTE = 5;
  /** {@link #kind} of a {@code boolean}, read with {@link #longAt} (1 or 0). */
  public static final byte BOOLEAN = 6;
  /** {@link #kind} of a {@code double}, read with {@link #doubleAt}. */
  public static final byte DOUBLE = 7;
  /** {@link #kind} of a {@code float}, read with {@link #doubleAt} (exactly representable). */
  public static final byte FLOAT = 8;
  /** {@link #kind} of any other value, read with {@link #objectAt} (never null). */
  public static final byte OBJECT = 9;

  // Primitives are kept unboxed: a setLong is two array stores, not an allocation.
  private final byte[] kinds;
  private final long[] longs;
  private final double[] doubles;
  private final Object[] objects;
  private final int[] setInRow; // the row number in which each parameter was last set
  private int row = 1;

  /** @param parameters the statement's number of {@code ?} placeholders */
  public CapturedRow(int parameters) {
    this.kinds = new byte[parameters];
    this.longs = new long[parameters];
    this.doubles = new double[parameters];
    this.objects = new Object[parameters];
    this.setInRow = new int[parameters];
  }

  /** @return the stand-in to hand to the binder */
  public PreparedStatement statement() {
    return this;
  }

  /** Starts a new row: values not set again count as unset (no array is cleared). */
  public void clear() {
    if (++row == Integer.MAX_VALUE) {
      row = 1;
      Arrays.fill(setInRow, 0);
    }
  }

  /** @return the number of parameters */
  public int size() {
    return kinds.length;
  }

  /**
   * Checks that the binder set every parameter of the row just bound.
   *
   * @throws IllegalStateException naming the first parameter the binder did not set
   */
  public void checkComplete() {
    for (int i = 0; i < setInRow.length; i++) {
      if (setInRow[i] != row) {
        throw new IllegalStateException("the binder did not set parameter " + (i + 1));
      }
    }
  }

  /**
   * @param column 0 for parameter 1
   * @return how the value was set: {@link #NULL}, {@link #LONG} ... {@link #OBJECT}
   */
  public byte kind(int column) {
    return kinds[column];
  }

  /**
   * @param column 0 for parameter 1
   * @return the integral (or boolean: 1/0) value
   */
  public long longAt(int column) {
    return longs[column];
  }

  /**
   * @param column 0 for parameter 1
   * @return the floating-point value
   */
  public double doubleAt(int column) {
    return doubles[column];
  }

  /**
   * @param column 0 for parameter 1
   * @return the value of an {@link #OBJECT} parameter
   */
  public Object objectAt(int column) {
    return objects[column];
  }

  /**
   * @return the values of the row just bound, boxed, index 0 for parameter 1 (a new array)
   * @throws IllegalStateException naming the first parameter the binder did not set
   */
  public Object[] values() {
    checkComplete();
    Object[] values = new Object[kinds.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = boxed(i);
    }
    return values;
  }

  private Object boxed(int i) {
    return switch (kinds[i]) {
      case NULL -> null;
      case LONG -> longs[i];
      case INT -> (int) longs[i];
      case SHORT -> (short) longs[i];
      case BYTE -> (byte) longs[i];
      case BOOLEAN -> longs[i] != 0;
      case DOUBLE -> doubles[i];
      case FLOAT -> (float) doubles[i];
      default -> objects[i];
    };
  }

  private int slot(int index) {
    if (index < 1 || index > kinds.length) {
      throw new IllegalArgumentException("parameter index " + index + " is out of range 1.."
          + kinds.length);
    }
    setInRow[index - 1] = row;
    return index - 1;
  }

  private void putLong(int index, byte kind, long value) {
    int i = slot(index);
    kinds[i] = kind;
    longs[i] = value;
  }

  private void putDouble(int index, byte kind, double value) {
    int i = slot(index);
    kinds[i] = kind;
    doubles[i] = value;
  }

  private void put(int index, Object value) {
    int i = slot(index);
    if (value == null) {
      kinds[i] = NULL;
      objects[i] = null;
    } else {
      kinds[i] = OBJECT;
      objects[i] = value;
    }
  }

  private static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException(method + " is not supported on the fast write path");
  }

  @Override
  public String toString() {
    Object[] shown = new Object[kinds.length];
    for (int i = 0; i < shown.length; i++) {
      shown[i] = setInRow[i] == row ? boxed(i) : "<unset>";
    }
    return "CapturedRow" + Arrays.toString(shown);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    throw unsupported("executeQuery");
  }

  @Override
  public int executeUpdate() throws SQLException {
    throw unsupported("executeUpdate");
  }

  @Override
  public void setNull(int a0, int a1) throws SQLException {
    put(a0, null);
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws SQLException {
    putLong(a0, BOOLEAN, a1 ? 1 : 0);
  }

  @Override
  public void setByte(int a0, byte a1) throws SQLException {
    putLong(a0, BYTE, a1);
  }

  @Override
  public void setShort(int a0, short a1) throws SQLException {
    putLong(a0, SHORT, a1);
  }

  @Override
  public void setInt(int a0, int a1) throws SQLException {
    putLong(a0, INT, a1);
  }

  @Override
  public void setLong(int a0, long a1) throws SQLException {
    putLong(a0, LONG, a1);
  }

  @Override
  public void setFloat(int a0, float a1) throws SQLException {
    putDouble(a0, FLOAT, a1);
  }

  @Override
  public void setDouble(int a0, double a1) throws SQLException {
    putDouble(a0, DOUBLE, a1);
  }

  @Override
  public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setString(int a0, String a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setDate(int a0, Date a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setTime(int a0, Time a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
    throw unsupported("setAsciiStream");
  }

  @Override
  public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
    throw unsupported("setUnicodeStream");
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
    throw unsupported("setBinaryStream");
  }

  @Override
  public void clearParameters() throws SQLException {
    clear();
  }

  @Override
  public void setObject(int a0, Object a1, int a2) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setObject(int a0, Object a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public boolean execute() throws SQLException {
    throw unsupported("execute");
  }

  @Override
  public void addBatch() throws SQLException {
    throw unsupported("addBatch");
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
    throw unsupported("setCharacterStream");
  }

  @Override
  public void setRef(int a0, Ref a1) throws SQLException {
    throw unsupported("setRef");
  }

  @Override
  public void setBlob(int a0, Blob a1) throws SQLException {
    throw unsupported("setBlob");
  }

  @Override
  public void setClob(int a0, Clob a1) throws SQLException {
    throw unsupported("setClob");
  }

  @Override
  public void setArray(int a0, Array a1) throws SQLException {
    throw unsupported("setArray");
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    throw unsupported("getMetaData");
  }

  @Override
  public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setNull(int a0, int a1, String a2) throws SQLException {
    put(a0, null);
  }

  @Override
  public void setURL(int a0, URL a1) throws SQLException {
    throw unsupported("setURL");
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    throw unsupported("getParameterMetaData");
  }

  @Override
  public void setRowId(int a0, RowId a1) throws SQLException {
    throw unsupported("setRowId");
  }

  @Override
  public void setNString(int a0, String a1) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    throw unsupported("setNCharacterStream");
  }

  @Override
  public void setNClob(int a0, NClob a1) throws SQLException {
    throw unsupported("setNClob");
  }

  @Override
  public void setClob(int a0, Reader a1, long a2) throws SQLException {
    throw unsupported("setClob");
  }

  @Override
  public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
    throw unsupported("setBlob");
  }

  @Override
  public void setNClob(int a0, Reader a1, long a2) throws SQLException {
    throw unsupported("setNClob");
  }

  @Override
  public void setSQLXML(int a0, SQLXML a1) throws SQLException {
    throw unsupported("setSQLXML");
  }

  @Override
  public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
    put(a0, a1);
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
    throw unsupported("setAsciiStream");
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
    throw unsupported("setBinaryStream");
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    throw unsupported("setCharacterStream");
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1) throws SQLException {
    throw unsupported("setAsciiStream");
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1) throws SQLException {
    throw unsupported("setBinaryStream");
  }

  @Override
  public void setCharacterStream(int a0, Reader a1) throws SQLException {
    throw unsupported("setCharacterStream");
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1) throws SQLException {
    throw unsupported("setNCharacterStream");
  }

  @Override
  public void setClob(int a0, Reader a1) throws SQLException {
    throw unsupported("setClob");
  }

  @Override
  public void setBlob(int a0, InputStream a1) throws SQLException {
    throw unsupported("setBlob");
  }

  @Override
  public void setNClob(int a0, Reader a1) throws SQLException {
    throw unsupported("setNClob");
  }

  @Override
  public ResultSet executeQuery(String a0) throws SQLException {
    throw unsupported("executeQuery");
  }

  @Override
  public int executeUpdate(String a0) throws SQLException {
    throw unsupported("executeUpdate");
  }

  @Override
  public void close() throws SQLException {
    // nothing to release
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    throw unsupported("getMaxFieldSize");
  }

  @Override
  public void setMaxFieldSize(int a0) throws SQLException {
    throw unsupported("setMaxFieldSize");
  }

  @Override
  public int getMaxRows() throws SQLException {
    throw unsupported("getMaxRows");
  }

  @Override
  public void setMaxRows(int a0) throws SQLException {
    throw unsupported("setMaxRows");
  }

  @Override
  public void setEscapeProcessing(boolean a0) throws SQLException {
    throw unsupported("setEscapeProcessing");
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    throw unsupported("getQueryTimeout");
  }

  @Override
  public void setQueryTimeout(int a0) throws SQLException {
    throw unsupported("setQueryTimeout");
  }

  @Override
  public void cancel() throws SQLException {
    throw unsupported("cancel");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw unsupported("getWarnings");
  }

  @Override
  public void clearWarnings() throws SQLException {
    throw unsupported("clearWarnings");
  }

  @Override
  public void setCursorName(String a0) throws SQLException {
    throw unsupported("setCursorName");
  }

  @Override
  public boolean execute(String a0) throws SQLException {
    throw unsupported("execute");
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw unsupported("getResultSet");
  }

  @Override
  public int getUpdateCount() throws SQLException {
    throw unsupported("getUpdateCount");
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    throw unsupported("getMoreResults");
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    throw unsupported("setFetchDirection");
  }

  @Override
  public int getFetchDirection() throws SQLException {
    throw unsupported("getFetchDirection");
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    throw unsupported("setFetchSize");
  }

  @Override
  public int getFetchSize() throws SQLException {
    throw unsupported("getFetchSize");
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    throw unsupported("getResultSetConcurrency");
  }

  @Override
  public int getResultSetType() throws SQLException {
    throw unsupported("getResultSetType");
  }

  @Override
  public void addBatch(String a0) throws SQLException {
    throw unsupported("addBatch");
  }

  @Override
  public void clearBatch() throws SQLException {
    throw unsupported("clearBatch");
  }

  @Override
  public int[] executeBatch() throws SQLException {
    throw unsupported("executeBatch");
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw unsupported("getConnection");
  }

  @Override
  public boolean getMoreResults(int a0) throws SQLException {
    throw unsupported("getMoreResults");
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    throw unsupported("getGeneratedKeys");
  }

  @Override
  public int executeUpdate(String a0, int a1) throws SQLException {
    throw unsupported("executeUpdate");
  }

  @Override
  public int executeUpdate(String a0, int[] a1) throws SQLException {
    throw unsupported("executeUpdate");
  }

  @Override
  public int executeUpdate(String a0, String[] a1) throws SQLException {
    throw unsupported("executeUpdate");
  }

  @Override
  public boolean execute(String a0, int a1) throws SQLException {
    throw unsupported("execute");
  }

  @Override
  public boolean execute(String a0, int[] a1) throws SQLException {
    throw unsupported("execute");
  }

  @Override
  public boolean execute(String a0, String[] a1) throws SQLException {
    throw unsupported("execute");
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    throw unsupported("getResultSetHoldability");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw unsupported("isClosed");
  }

  @Override
  public void setPoolable(boolean a0) throws SQLException {
    throw unsupported("setPoolable");
  }

  @Override
  public boolean isPoolable() throws SQLException {
    throw unsupported("isPoolable");
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    throw unsupported("closeOnCompletion");
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    throw unsupported("isCloseOnCompletion");
  }

  @Override
  public <T> T unwrap(Class<T> a0) throws SQLException {
    throw unsupported("unwrap");
  }

  @Override
  public boolean isWrapperFor(Class<?> a0) throws SQLException {
    throw unsupported("isWrapperFor");
  }
}
