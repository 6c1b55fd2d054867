package io.github.perfkit.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set that counts the rows {@link #next()} delivers and reports them once, when it is
 * exhausted ({@code next()} returned false) or closed, whichever comes first. Every other call goes
 * straight to the driver's result set: a plain class, not a dynamic proxy, so a getter costs one
 * more (inlined) call. {@link #getStatement()} returns the statement the caller holds (the timing
 * wrapper), and {@code unwrap} reaches the driver's.
 *
 * <p>Not thread-safe, as result sets are not.
 */
@SuppressWarnings("deprecation") // delegates the deprecated getters too
public final class CountingResultSet implements ResultSet {

  /** Receives a result set's row count once. */
  @FunctionalInterface
  public interface Done {
    /**
     * Called once, on the thread that exhausted or closed the result set.
     *
     * @param rows rows delivered by {@code next()}
     */
    void finished(long rows);
  }

  private final ResultSet rs;
  private final Statement statement;
  private final Done done;
  private long rows;
  private boolean finished;

  /**
   * Wraps a result set.
   *
   * @param rs the driver's result set
   * @param statement what {@link #getStatement()} returns
   * @param done told the row count once
   */
  public CountingResultSet(ResultSet rs, Statement statement, Done done) {
    this.rs = rs;
    this.statement = statement;
    this.done = done;
  }

  /**
   * Whether a result set is already counted by a wrapper beneath (a data source wrapping a pool
   * that wraps another): only the innermost reports to a profile.
   *
   * @param rs a result set
   * @return true if it is or wraps a {@code CountingResultSet}
   */
  public static boolean counted(ResultSet rs) {
    try {
      return rs instanceof CountingResultSet || rs.isWrapperFor(CountingResultSet.class);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean next() throws SQLException {
    boolean more = rs.next();
    if (more) {
      rows++;
    } else {
      finish();
    }
    return more;
  }

  @Override
  public void close() throws SQLException {
    try {
      rs.close();
    } finally {
      finish();
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      done.finished(rows);
    }
  }

  @Override
  public Statement getStatement() throws SQLException {
    return statement != null ? statement : rs.getStatement();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : rs.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || rs.isWrapperFor(iface);
  }

  @Override
  public boolean absolute(int a0) throws SQLException {
    return rs.absolute(a0);
  }

  @Override
  public void afterLast() throws SQLException {
    rs.afterLast();
  }

  @Override
  public void beforeFirst() throws SQLException {
    rs.beforeFirst();
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    rs.cancelRowUpdates();
  }

  @Override
  public void clearWarnings() throws SQLException {
    rs.clearWarnings();
  }

  @Override
  public void deleteRow() throws SQLException {
    rs.deleteRow();
  }

  @Override
  public int findColumn(String a0) throws SQLException {
    return rs.findColumn(a0);
  }

  @Override
  public boolean first() throws SQLException {
    return rs.first();
  }

  @Override
  public java.sql.Array getArray(String a0) throws SQLException {
    return rs.getArray(a0);
  }

  @Override
  public java.sql.Array getArray(int a0) throws SQLException {
    return rs.getArray(a0);
  }

  @Override
  public java.io.InputStream getAsciiStream(String a0) throws SQLException {
    return rs.getAsciiStream(a0);
  }

  @Override
  public java.io.InputStream getAsciiStream(int a0) throws SQLException {
    return rs.getAsciiStream(a0);
  }

  @Override
  @Deprecated
  public java.math.BigDecimal getBigDecimal(String a0, int a1) throws SQLException {
    return rs.getBigDecimal(a0, a1);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(String a0) throws SQLException {
    return rs.getBigDecimal(a0);
  }

  @Override
  @Deprecated
  public java.math.BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
    return rs.getBigDecimal(a0, a1);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int a0) throws SQLException {
    return rs.getBigDecimal(a0);
  }

  @Override
  public java.io.InputStream getBinaryStream(String a0) throws SQLException {
    return rs.getBinaryStream(a0);
  }

  @Override
  public java.io.InputStream getBinaryStream(int a0) throws SQLException {
    return rs.getBinaryStream(a0);
  }

  @Override
  public java.sql.Blob getBlob(String a0) throws SQLException {
    return rs.getBlob(a0);
  }

  @Override
  public java.sql.Blob getBlob(int a0) throws SQLException {
    return rs.getBlob(a0);
  }

  @Override
  public boolean getBoolean(String a0) throws SQLException {
    return rs.getBoolean(a0);
  }

  @Override
  public boolean getBoolean(int a0) throws SQLException {
    return rs.getBoolean(a0);
  }

  @Override
  public byte getByte(String a0) throws SQLException {
    return rs.getByte(a0);
  }

  @Override
  public byte getByte(int a0) throws SQLException {
    return rs.getByte(a0);
  }

  @Override
  public byte[] getBytes(String a0) throws SQLException {
    return rs.getBytes(a0);
  }

  @Override
  public byte[] getBytes(int a0) throws SQLException {
    return rs.getBytes(a0);
  }

  @Override
  public java.io.Reader getCharacterStream(String a0) throws SQLException {
    return rs.getCharacterStream(a0);
  }

  @Override
  public java.io.Reader getCharacterStream(int a0) throws SQLException {
    return rs.getCharacterStream(a0);
  }

  @Override
  public java.sql.Clob getClob(String a0) throws SQLException {
    return rs.getClob(a0);
  }

  @Override
  public java.sql.Clob getClob(int a0) throws SQLException {
    return rs.getClob(a0);
  }

  @Override
  public int getConcurrency() throws SQLException {
    return rs.getConcurrency();
  }

  @Override
  public String getCursorName() throws SQLException {
    return rs.getCursorName();
  }

  @Override
  public java.sql.Date getDate(String a0, java.util.Calendar a1) throws SQLException {
    return rs.getDate(a0, a1);
  }

  @Override
  public java.sql.Date getDate(String a0) throws SQLException {
    return rs.getDate(a0);
  }

  @Override
  public java.sql.Date getDate(int a0, java.util.Calendar a1) throws SQLException {
    return rs.getDate(a0, a1);
  }

  @Override
  public java.sql.Date getDate(int a0) throws SQLException {
    return rs.getDate(a0);
  }

  @Override
  public double getDouble(String a0) throws SQLException {
    return rs.getDouble(a0);
  }

  @Override
  public double getDouble(int a0) throws SQLException {
    return rs.getDouble(a0);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return rs.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return rs.getFetchSize();
  }

  @Override
  public float getFloat(String a0) throws SQLException {
    return rs.getFloat(a0);
  }

  @Override
  public float getFloat(int a0) throws SQLException {
    return rs.getFloat(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return rs.getHoldability();
  }

  @Override
  public int getInt(String a0) throws SQLException {
    return rs.getInt(a0);
  }

  @Override
  public int getInt(int a0) throws SQLException {
    return rs.getInt(a0);
  }

  @Override
  public long getLong(String a0) throws SQLException {
    return rs.getLong(a0);
  }

  @Override
  public long getLong(int a0) throws SQLException {
    return rs.getLong(a0);
  }

  @Override
  public java.sql.ResultSetMetaData getMetaData() throws SQLException {
    return rs.getMetaData();
  }

  @Override
  public java.io.Reader getNCharacterStream(String a0) throws SQLException {
    return rs.getNCharacterStream(a0);
  }

  @Override
  public java.io.Reader getNCharacterStream(int a0) throws SQLException {
    return rs.getNCharacterStream(a0);
  }

  @Override
  public java.sql.NClob getNClob(String a0) throws SQLException {
    return rs.getNClob(a0);
  }

  @Override
  public java.sql.NClob getNClob(int a0) throws SQLException {
    return rs.getNClob(a0);
  }

  @Override
  public String getNString(String a0) throws SQLException {
    return rs.getNString(a0);
  }

  @Override
  public String getNString(int a0) throws SQLException {
    return rs.getNString(a0);
  }

  @Override
  public <T> T getObject(String a0, Class<T> a1) throws SQLException {
    return rs.getObject(a0, a1);
  }

  @Override
  public Object getObject(String a0, java.util.Map<String, Class<?>> a1) throws SQLException {
    return rs.getObject(a0, a1);
  }

  @Override
  public Object getObject(String a0) throws SQLException {
    return rs.getObject(a0);
  }

  @Override
  public <T> T getObject(int a0, Class<T> a1) throws SQLException {
    return rs.getObject(a0, a1);
  }

  @Override
  public Object getObject(int a0, java.util.Map<String, Class<?>> a1) throws SQLException {
    return rs.getObject(a0, a1);
  }

  @Override
  public Object getObject(int a0) throws SQLException {
    return rs.getObject(a0);
  }

  @Override
  public java.sql.Ref getRef(String a0) throws SQLException {
    return rs.getRef(a0);
  }

  @Override
  public java.sql.Ref getRef(int a0) throws SQLException {
    return rs.getRef(a0);
  }

  @Override
  public int getRow() throws SQLException {
    return rs.getRow();
  }

  @Override
  public java.sql.RowId getRowId(String a0) throws SQLException {
    return rs.getRowId(a0);
  }

  @Override
  public java.sql.RowId getRowId(int a0) throws SQLException {
    return rs.getRowId(a0);
  }

  @Override
  public java.sql.SQLXML getSQLXML(String a0) throws SQLException {
    return rs.getSQLXML(a0);
  }

  @Override
  public java.sql.SQLXML getSQLXML(int a0) throws SQLException {
    return rs.getSQLXML(a0);
  }

  @Override
  public short getShort(String a0) throws SQLException {
    return rs.getShort(a0);
  }

  @Override
  public short getShort(int a0) throws SQLException {
    return rs.getShort(a0);
  }

  @Override
  public String getString(String a0) throws SQLException {
    return rs.getString(a0);
  }

  @Override
  public String getString(int a0) throws SQLException {
    return rs.getString(a0);
  }

  @Override
  public java.sql.Time getTime(String a0, java.util.Calendar a1) throws SQLException {
    return rs.getTime(a0, a1);
  }

  @Override
  public java.sql.Time getTime(String a0) throws SQLException {
    return rs.getTime(a0);
  }

  @Override
  public java.sql.Time getTime(int a0, java.util.Calendar a1) throws SQLException {
    return rs.getTime(a0, a1);
  }

  @Override
  public java.sql.Time getTime(int a0) throws SQLException {
    return rs.getTime(a0);
  }

  @Override
  public java.sql.Timestamp getTimestamp(String a0, java.util.Calendar a1) throws SQLException {
    return rs.getTimestamp(a0, a1);
  }

  @Override
  public java.sql.Timestamp getTimestamp(String a0) throws SQLException {
    return rs.getTimestamp(a0);
  }

  @Override
  public java.sql.Timestamp getTimestamp(int a0, java.util.Calendar a1) throws SQLException {
    return rs.getTimestamp(a0, a1);
  }

  @Override
  public java.sql.Timestamp getTimestamp(int a0) throws SQLException {
    return rs.getTimestamp(a0);
  }

  @Override
  public int getType() throws SQLException {
    return rs.getType();
  }

  @Override
  public java.net.URL getURL(String a0) throws SQLException {
    return rs.getURL(a0);
  }

  @Override
  public java.net.URL getURL(int a0) throws SQLException {
    return rs.getURL(a0);
  }

  @Override
  @Deprecated
  public java.io.InputStream getUnicodeStream(String a0) throws SQLException {
    return rs.getUnicodeStream(a0);
  }

  @Override
  @Deprecated
  public java.io.InputStream getUnicodeStream(int a0) throws SQLException {
    return rs.getUnicodeStream(a0);
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    return rs.getWarnings();
  }

  @Override
  public void insertRow() throws SQLException {
    rs.insertRow();
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return rs.isAfterLast();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return rs.isBeforeFirst();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return rs.isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return rs.isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return rs.isLast();
  }

  @Override
  public boolean last() throws SQLException {
    return rs.last();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    rs.moveToCurrentRow();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    rs.moveToInsertRow();
  }

  @Override
  public boolean previous() throws SQLException {
    return rs.previous();
  }

  @Override
  public void refreshRow() throws SQLException {
    rs.refreshRow();
  }

  @Override
  public boolean relative(int a0) throws SQLException {
    return rs.relative(a0);
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return rs.rowDeleted();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return rs.rowInserted();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return rs.rowUpdated();
  }

  @Override
  public void setFetchDirection(int a0) throws SQLException {
    rs.setFetchDirection(a0);
  }

  @Override
  public void setFetchSize(int a0) throws SQLException {
    rs.setFetchSize(a0);
  }

  @Override
  public void updateArray(String a0, java.sql.Array a1) throws SQLException {
    rs.updateArray(a0, a1);
  }

  @Override
  public void updateArray(int a0, java.sql.Array a1) throws SQLException {
    rs.updateArray(a0, a1);
  }

  @Override
  public void updateAsciiStream(String a0, java.io.InputStream a1, int a2) throws SQLException {
    rs.updateAsciiStream(a0, a1, a2);
  }

  @Override
  public void updateAsciiStream(String a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateAsciiStream(a0, a1, a2);
  }

  @Override
  public void updateAsciiStream(String a0, java.io.InputStream a1) throws SQLException {
    rs.updateAsciiStream(a0, a1);
  }

  @Override
  public void updateAsciiStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
    rs.updateAsciiStream(a0, a1, a2);
  }

  @Override
  public void updateAsciiStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateAsciiStream(a0, a1, a2);
  }

  @Override
  public void updateAsciiStream(int a0, java.io.InputStream a1) throws SQLException {
    rs.updateAsciiStream(a0, a1);
  }

  @Override
  public void updateBigDecimal(String a0, java.math.BigDecimal a1) throws SQLException {
    rs.updateBigDecimal(a0, a1);
  }

  @Override
  public void updateBigDecimal(int a0, java.math.BigDecimal a1) throws SQLException {
    rs.updateBigDecimal(a0, a1);
  }

  @Override
  public void updateBinaryStream(String a0, java.io.InputStream a1, int a2) throws SQLException {
    rs.updateBinaryStream(a0, a1, a2);
  }

  @Override
  public void updateBinaryStream(String a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateBinaryStream(a0, a1, a2);
  }

  @Override
  public void updateBinaryStream(String a0, java.io.InputStream a1) throws SQLException {
    rs.updateBinaryStream(a0, a1);
  }

  @Override
  public void updateBinaryStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
    rs.updateBinaryStream(a0, a1, a2);
  }

  @Override
  public void updateBinaryStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateBinaryStream(a0, a1, a2);
  }

  @Override
  public void updateBinaryStream(int a0, java.io.InputStream a1) throws SQLException {
    rs.updateBinaryStream(a0, a1);
  }

  @Override
  public void updateBlob(String a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateBlob(a0, a1, a2);
  }

  @Override
  public void updateBlob(String a0, java.io.InputStream a1) throws SQLException {
    rs.updateBlob(a0, a1);
  }

  @Override
  public void updateBlob(String a0, java.sql.Blob a1) throws SQLException {
    rs.updateBlob(a0, a1);
  }

  @Override
  public void updateBlob(int a0, java.io.InputStream a1, long a2) throws SQLException {
    rs.updateBlob(a0, a1, a2);
  }

  @Override
  public void updateBlob(int a0, java.io.InputStream a1) throws SQLException {
    rs.updateBlob(a0, a1);
  }

  @Override
  public void updateBlob(int a0, java.sql.Blob a1) throws SQLException {
    rs.updateBlob(a0, a1);
  }

  @Override
  public void updateBoolean(String a0, boolean a1) throws SQLException {
    rs.updateBoolean(a0, a1);
  }

  @Override
  public void updateBoolean(int a0, boolean a1) throws SQLException {
    rs.updateBoolean(a0, a1);
  }

  @Override
  public void updateByte(String a0, byte a1) throws SQLException {
    rs.updateByte(a0, a1);
  }

  @Override
  public void updateByte(int a0, byte a1) throws SQLException {
    rs.updateByte(a0, a1);
  }

  @Override
  public void updateBytes(String a0, byte[] a1) throws SQLException {
    rs.updateBytes(a0, a1);
  }

  @Override
  public void updateBytes(int a0, byte[] a1) throws SQLException {
    rs.updateBytes(a0, a1);
  }

  @Override
  public void updateCharacterStream(String a0, java.io.Reader a1, int a2) throws SQLException {
    rs.updateCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateCharacterStream(String a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateCharacterStream(String a0, java.io.Reader a1) throws SQLException {
    rs.updateCharacterStream(a0, a1);
  }

  @Override
  public void updateCharacterStream(int a0, java.io.Reader a1, int a2) throws SQLException {
    rs.updateCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateCharacterStream(int a0, java.io.Reader a1) throws SQLException {
    rs.updateCharacterStream(a0, a1);
  }

  @Override
  public void updateClob(String a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateClob(a0, a1, a2);
  }

  @Override
  public void updateClob(String a0, java.io.Reader a1) throws SQLException {
    rs.updateClob(a0, a1);
  }

  @Override
  public void updateClob(String a0, java.sql.Clob a1) throws SQLException {
    rs.updateClob(a0, a1);
  }

  @Override
  public void updateClob(int a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateClob(a0, a1, a2);
  }

  @Override
  public void updateClob(int a0, java.io.Reader a1) throws SQLException {
    rs.updateClob(a0, a1);
  }

  @Override
  public void updateClob(int a0, java.sql.Clob a1) throws SQLException {
    rs.updateClob(a0, a1);
  }

  @Override
  public void updateDate(String a0, java.sql.Date a1) throws SQLException {
    rs.updateDate(a0, a1);
  }

  @Override
  public void updateDate(int a0, java.sql.Date a1) throws SQLException {
    rs.updateDate(a0, a1);
  }

  @Override
  public void updateDouble(String a0, double a1) throws SQLException {
    rs.updateDouble(a0, a1);
  }

  @Override
  public void updateDouble(int a0, double a1) throws SQLException {
    rs.updateDouble(a0, a1);
  }

  @Override
  public void updateFloat(String a0, float a1) throws SQLException {
    rs.updateFloat(a0, a1);
  }

  @Override
  public void updateFloat(int a0, float a1) throws SQLException {
    rs.updateFloat(a0, a1);
  }

  @Override
  public void updateInt(String a0, int a1) throws SQLException {
    rs.updateInt(a0, a1);
  }

  @Override
  public void updateInt(int a0, int a1) throws SQLException {
    rs.updateInt(a0, a1);
  }

  @Override
  public void updateLong(String a0, long a1) throws SQLException {
    rs.updateLong(a0, a1);
  }

  @Override
  public void updateLong(int a0, long a1) throws SQLException {
    rs.updateLong(a0, a1);
  }

  @Override
  public void updateNCharacterStream(String a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateNCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateNCharacterStream(String a0, java.io.Reader a1) throws SQLException {
    rs.updateNCharacterStream(a0, a1);
  }

  @Override
  public void updateNCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateNCharacterStream(a0, a1, a2);
  }

  @Override
  public void updateNCharacterStream(int a0, java.io.Reader a1) throws SQLException {
    rs.updateNCharacterStream(a0, a1);
  }

  @Override
  public void updateNClob(String a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateNClob(a0, a1, a2);
  }

  @Override
  public void updateNClob(String a0, java.io.Reader a1) throws SQLException {
    rs.updateNClob(a0, a1);
  }

  @Override
  public void updateNClob(String a0, java.sql.NClob a1) throws SQLException {
    rs.updateNClob(a0, a1);
  }

  @Override
  public void updateNClob(int a0, java.io.Reader a1, long a2) throws SQLException {
    rs.updateNClob(a0, a1, a2);
  }

  @Override
  public void updateNClob(int a0, java.io.Reader a1) throws SQLException {
    rs.updateNClob(a0, a1);
  }

  @Override
  public void updateNClob(int a0, java.sql.NClob a1) throws SQLException {
    rs.updateNClob(a0, a1);
  }

  @Override
  public void updateNString(String a0, String a1) throws SQLException {
    rs.updateNString(a0, a1);
  }

  @Override
  public void updateNString(int a0, String a1) throws SQLException {
    rs.updateNString(a0, a1);
  }

  @Override
  public void updateNull(String a0) throws SQLException {
    rs.updateNull(a0);
  }

  @Override
  public void updateNull(int a0) throws SQLException {
    rs.updateNull(a0);
  }

  @Override
  public void updateObject(String a0, Object a1, int a2) throws SQLException {
    rs.updateObject(a0, a1, a2);
  }

  @Override
  public void updateObject(String a0, Object a1, java.sql.SQLType a2, int a3) throws SQLException {
    rs.updateObject(a0, a1, a2, a3);
  }

  @Override
  public void updateObject(String a0, Object a1, java.sql.SQLType a2) throws SQLException {
    rs.updateObject(a0, a1, a2);
  }

  @Override
  public void updateObject(String a0, Object a1) throws SQLException {
    rs.updateObject(a0, a1);
  }

  @Override
  public void updateObject(int a0, Object a1, int a2) throws SQLException {
    rs.updateObject(a0, a1, a2);
  }

  @Override
  public void updateObject(int a0, Object a1, java.sql.SQLType a2, int a3) throws SQLException {
    rs.updateObject(a0, a1, a2, a3);
  }

  @Override
  public void updateObject(int a0, Object a1, java.sql.SQLType a2) throws SQLException {
    rs.updateObject(a0, a1, a2);
  }

  @Override
  public void updateObject(int a0, Object a1) throws SQLException {
    rs.updateObject(a0, a1);
  }

  @Override
  public void updateRef(String a0, java.sql.Ref a1) throws SQLException {
    rs.updateRef(a0, a1);
  }

  @Override
  public void updateRef(int a0, java.sql.Ref a1) throws SQLException {
    rs.updateRef(a0, a1);
  }

  @Override
  public void updateRow() throws SQLException {
    rs.updateRow();
  }

  @Override
  public void updateRowId(String a0, java.sql.RowId a1) throws SQLException {
    rs.updateRowId(a0, a1);
  }

  @Override
  public void updateRowId(int a0, java.sql.RowId a1) throws SQLException {
    rs.updateRowId(a0, a1);
  }

  @Override
  public void updateSQLXML(String a0, java.sql.SQLXML a1) throws SQLException {
    rs.updateSQLXML(a0, a1);
  }

  @Override
  public void updateSQLXML(int a0, java.sql.SQLXML a1) throws SQLException {
    rs.updateSQLXML(a0, a1);
  }

  @Override
  public void updateShort(String a0, short a1) throws SQLException {
    rs.updateShort(a0, a1);
  }

  @Override
  public void updateShort(int a0, short a1) throws SQLException {
    rs.updateShort(a0, a1);
  }

  @Override
  public void updateString(String a0, String a1) throws SQLException {
    rs.updateString(a0, a1);
  }

  @Override
  public void updateString(int a0, String a1) throws SQLException {
    rs.updateString(a0, a1);
  }

  @Override
  public void updateTime(String a0, java.sql.Time a1) throws SQLException {
    rs.updateTime(a0, a1);
  }

  @Override
  public void updateTime(int a0, java.sql.Time a1) throws SQLException {
    rs.updateTime(a0, a1);
  }

  @Override
  public void updateTimestamp(String a0, java.sql.Timestamp a1) throws SQLException {
    rs.updateTimestamp(a0, a1);
  }

  @Override
  public void updateTimestamp(int a0, java.sql.Timestamp a1) throws SQLException {
    rs.updateTimestamp(a0, a1);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return rs.wasNull();
  }
}
