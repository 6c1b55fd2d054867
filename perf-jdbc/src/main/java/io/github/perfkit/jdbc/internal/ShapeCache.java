package io.github.perfkit.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the shape of recently seen SQL texts so that a statement executed again is not
 * tokenised again. Bounded two ways, since SQL built with literals makes every text new: at most
 * {@code maximumSize} entries (when full, the map is emptied and refills with what is still in
 * use; a statement's shape is always recomputed correctly, so emptying only costs time), and texts
 * longer than {@code maximumKeyLength} characters are shaped without being kept.
 *
 * <p>Thread-safe. A hit is one {@link ConcurrentHashMap#get}; a miss shapes the text (linear in
 * its length) and inserts under a lock, so the bound holds exactly whatever the concurrency.
 */
public final class ShapeCache {

  private final ConcurrentHashMap<String, String> shapes = new ConcurrentHashMap<>();
  private final Object insertLock = new Object();
  private final int maximumSize;
  private final int maximumKeyLength;
  private final SqlDialect dialect;

  /**
   * @param dialect the dialect of every SQL text this cache sees
   * @param maximumSize the most entries kept, {@code > 0}
   * @param maximumKeyLength the longest SQL text kept, in characters
   */
  public ShapeCache(SqlDialect dialect, int maximumSize, int maximumKeyLength) {
    if (maximumSize <= 0) {
      throw new IllegalArgumentException("maximumSize must be > 0 but was " + maximumSize);
    }
    this.dialect = dialect;
    this.maximumSize = maximumSize;
    this.maximumKeyLength = maximumKeyLength;
  }

  /**
   * @param sql SQL text
   * @return its shape
   */
  public String shape(String sql) {
    String shape = shapes.get(sql);
    if (shape != null) {
      return shape;
    }
    shape = SqlShapes.shape(sql, dialect);
    if (sql.length() <= maximumKeyLength) {
      synchronized (insertLock) {
        if (shapes.size() >= maximumSize) {
          shapes.clear();
        }
        shapes.putIfAbsent(sql, shape);
      }
    }
    return shape;
  }

  /**
   * @return the number of entries now
   */
  public int size() {
    return shapes.size();
  }

  /**
   * @return the dialect the shapes are computed in
   */
  public SqlDialect dialect() {
    return dialect;
  }
}
