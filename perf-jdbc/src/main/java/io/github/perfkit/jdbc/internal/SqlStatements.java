package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.internal.SqlLexer.Token;
import io.github.perfkit.jdbc.internal.SqlLexer.Type;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells what kind of statement a SQL text is, from its tokens (so a keyword inside a string, a
 * quoted identifier or a comment never counts): a query, a data change, or anything else. Errs on
 * the side of "changes data": a query with a data-modifying part ({@code WITH d AS (DELETE ...)
 * SELECT}, {@code SELECT ... INTO}) is not a query. Stateless.
 */
public final class SqlStatements {

  /** What a statement does. */
  public enum Kind {
    /** Reads only: {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code TABLE}. */
    QUERY,
    /** Changes rows: {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, ... */
    DATA_CHANGE,
    /** Anything else: DDL, {@code SELECT ... INTO}, {@code CALL}, {@code EXECUTE}, ... */
    OTHER
  }

  /**
   * A statement's kind.
   *
   * @param kind what it does
   * @param keyword what makes it that kind, upper case ({@code DELETE}, {@code SELECT ... INTO},
   *     {@code CREATE}), never a literal
   * @param statements how many statements the text holds (a trailing {@code ;} starts none)
   */
  public record Classification(Kind kind, String keyword, int statements) {}

  private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");
  private static final Set<String> CHANGE_STARTS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE",
      "REPLACE", "UPSERT");

  private SqlStatements() {}

  /**
   * Classifies {@code sql}.
   *
   * @param sql SQL text
   * @param dialect its dialect
   * @return its classification
   */
  public static Classification classify(String sql, SqlDialect dialect) {
    List<Token> t = SqlLexer.tokens(sql, dialect);
    int statements = 0;
    boolean inStatement = false;
    for (Token tk : t) {
      if (tk.type() == Type.SEMICOLON) {
        inStatement = false;
      } else if (!inStatement) {
        inStatement = true;
        statements++;
      }
    }
    int first = 0;
    while (first < t.size() && t.get(first).type() == Type.OPEN) {
      first++; // (SELECT ...) UNION (SELECT ...)
    }
    if (first >= t.size() || t.get(first).type() != Type.WORD) {
      return new Classification(Kind.OTHER, first >= t.size() ? "empty statement" : "unknown",
          statements);
    }
    String start = word(sql, t.get(first));
    if (CHANGE_STARTS.contains(start)) {
      return new Classification(Kind.DATA_CHANGE, start, statements);
    }
    if (!QUERY_STARTS.contains(start)) {
      return new Classification(Kind.OTHER, start, statements);
    }
    for (int k = first + 1; k < t.size() && t.get(k).type() != Type.SEMICOLON; k++) {
      Token tk = t.get(k);
      if (tk.type() != Type.WORD) {
        continue;
      }
      String w = word(sql, tk);
      String before = k > 0 && t.get(k - 1).type() == Type.WORD ? word(sql, t.get(k - 1)) : "";
      boolean call = k + 1 < t.size() && t.get(k + 1).type() == Type.OPEN;
      switch (w) {
        case "INSERT" -> {
          if (!call) { // MySQL's INSERT(str, pos, len, new) is a string function
            return new Classification(Kind.DATA_CHANGE, start + " ... INSERT", statements);
          }
        }
        case "UPDATE" -> {
          if (!before.equals("FOR") && !before.equals("KEY") && !before.equals("ON")) {
            return new Classification(Kind.DATA_CHANGE, start + " ... UPDATE", statements);
          }
        }
        case "DELETE" -> {
          if (!before.equals("ON")) {
            return new Classification(Kind.DATA_CHANGE, start + " ... DELETE", statements);
          }
        }
        case "MERGE" -> {
          return new Classification(Kind.DATA_CHANGE, start + " ... MERGE", statements);
        }
        case "INTO" -> {
          // SELECT ... INTO new_table / OUTFILE / DUMPFILE / @variable
          return new Classification(Kind.OTHER, start + " ... INTO", statements);
        }
        default -> {
          // an ordinary word
        }
      }
    }
    return new Classification(Kind.QUERY, start, statements);
  }

  private static String word(String sql, Token tk) {
    return tk.text(sql).toUpperCase(Locale.ROOT);
  }
}
