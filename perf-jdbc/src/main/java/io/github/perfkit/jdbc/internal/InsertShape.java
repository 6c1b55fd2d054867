package io.github.perfkit.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the plain insert a bulk-load path can take over:
 * {@code INSERT INTO [schema.]table (c1, c2, ...) VALUES (?, ?, ...)} with plain identifiers, one
 * placeholder per column and nothing else (no {@code ON CONFLICT}, {@code RETURNING}, expressions or
 * literals). Anything else is not a plain insert and keeps the {@code executeBatch} path.
 *
 * @param schema the schema, or null
 * @param table the table
 * @param columns the columns, in statement order
 */
public record InsertShape(String schema, String table, List<String> columns) {

  private static final String IDENT = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern INSERT = Pattern.compile(
      "\\s*INSERT\\s+INTO\\s+(?:(" + IDENT + ")\\.)?(" + IDENT + ")\\s*\\(([^)]*)\\)\\s*"
          + "VALUES\\s*\\(([\\s?,]*)\\)\\s*;?\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern INSERT_WITH_TAIL = Pattern.compile(
      "\\s*INSERT\\s+INTO\\s+(?:(" + IDENT + ")\\.)?(" + IDENT + ")\\s*\\(([^)]*)\\)\\s*"
          + "VALUES\\s*\\(([\\s?,]*)\\)\\s*(.*?)\\s*;?\\s*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern COLUMN = Pattern.compile("\\s*(" + IDENT + ")\\s*");

  /**
   * @param sql the statement
   * @return its shape, if it is a plain insert
   */
  public static Optional<InsertShape> parse(String sql) {
    Matcher m = INSERT.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    return shape(m);
  }

  /**
   * Splits {@code INSERT INTO [schema.]table (cols) VALUES (?, ...) <tail>} into its plain insert
   * and its tail (the text after {@code VALUES (...)}, trimmed, without a final semicolon).
   *
   * @param sql the statement
   * @return the insert and the tail, if the statement starts as a plain insert; the tail may be
   *     empty
   */
  static Optional<Map.Entry<InsertShape, String>> parseWithTail(String sql) {
    Matcher m = INSERT_WITH_TAIL.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    return shape(m).map(shape -> Map.entry(shape, m.group(5)));
  }

  private static Optional<InsertShape> shape(Matcher m) {
    List<String> columns = new ArrayList<>();
    for (String part : m.group(3).split(",", -1)) {
      Matcher c = COLUMN.matcher(part);
      if (!c.matches()) {
        return Optional.empty();
      }
      columns.add(c.group(1));
    }
    String[] placeholders = m.group(4).split(",", -1);
    if (placeholders.length != columns.size()) {
      return Optional.empty();
    }
    for (String p : placeholders) {
      if (!p.trim().equals("?")) {
        return Optional.empty();
      }
    }
    return Optional.of(new InsertShape(m.group(1), m.group(2), List.copyOf(columns)));
  }
}
