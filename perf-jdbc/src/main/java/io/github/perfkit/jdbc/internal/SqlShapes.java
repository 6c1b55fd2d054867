package io.github.perfkit.jdbc.internal;

import io.github.perfkit.jdbc.internal.SqlLexer.Token;
import io.github.perfkit.jdbc.internal.SqlLexer.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reduces SQL text to its shape, the form that may appear in a metric tag, a log line or an
 * exception message: every literal becomes {@code ?} (strings in every form the dialect has,
 * numbers with their sign), every comment is dropped, {@code IN (...)} and {@code ARRAY[...]} lists
 * of values collapse to one {@code ?}, a {@code VALUES} list keeps its first row (further rows
 * become {@code , ...}), whitespace folds to single spaces. Identifiers, keywords, operators and
 * placeholders stay. Built on {@link SqlLexer}, so a quote inside a comment or a comment marker
 * inside a string is never mistaken for the other. Stateless; linear in the text.
 */
public final class SqlShapes {

  /** Shapes longer than this are cut at a token boundary and end in {@code ...}. */
  public static final int MAX_LENGTH = 2_048;

  /** The shape of a statement with no tokens at all (empty, or only comments). */
  public static final String EMPTY = "<empty>";

  /** Words after which a {@code -} or {@code +} is a sign, not subtraction or addition. */
  private static final Set<String> BEFORE_SIGN = Set.of("SELECT", "WHERE", "AND", "OR", "NOT", "ON",
      "WHEN", "THEN", "ELSE", "BY", "LIMIT", "OFFSET", "VALUES", "IN", "IS", "LIKE", "BETWEEN", "SET",
      "RETURN", "HAVING", "CASE", "AS", "ALL", "ANY", "SOME", "DEFAULT", "ESCAPE", "FETCH", "FIRST",
      "NEXT", "INTERVAL", "DISTINCT", "TO", "FROM", "AT", "END");
  /** Words that may stand in a list of values that collapses. */
  private static final Set<String> VALUE_WORDS = Set.of("NULL", "TRUE", "FALSE");

  private SqlShapes() {}

  /**
   * The shape of {@code sql} under the conservative {@link SqlDialect#GENERIC} rules.
   *
   * @param sql SQL text
   * @return its shape
   */
  public static String shape(String sql) {
    return shape(sql, SqlDialect.GENERIC);
  }

  /**
   * The shape of {@code sql}: no literal and no comment survives.
   *
   * @param sql SQL text
   * @param dialect its dialect
   * @return its shape
   */
  public static String shape(String sql, SqlDialect dialect) {
    List<Token> t = SqlLexer.tokens(sql, dialect);
    StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH + 8));
    Deque<Integer> valuesRowEnds = new ArrayDeque<>();
    Type previous = null; // type of the last token emitted, for string runs and signs
    String previousText = null;
    for (int k = 0; k < t.size(); k++) {
      if (out.length() > MAX_LENGTH) {
        out.append(" ...");
        break;
      }
      Token tk = t.get(k);
      String text;
      if (tk.type() == Type.STRING || tk.type() == Type.NUMBER) {
        if (tk.type() == Type.STRING && previous == Type.STRING) {
          continue; // 'a' 'b' is one literal, concatenated
        }
        text = "?";
      } else if ((tk.is(sql, '-') || tk.is(sql, '+')) && k + 1 < t.size()
          && t.get(k + 1).type() == Type.NUMBER && !t.get(k + 1).spaceBefore()
          && signMayFollow(previous, previousText)) {
        append(out, tk, "?"); // -5 is one literal
        previous = Type.NUMBER;
        previousText = "?";
        k++;
        continue;
      } else if ((tk.is(sql, "IN") && k + 1 < t.size() && t.get(k + 1).type() == Type.OPEN)
          || (tk.is(sql, "ARRAY") && k + 1 < t.size() && t.get(k + 1).is(sql, '['))) {
        int close = matching(sql, t, k + 1);
        if (close > 0 && onlyValues(sql, t, k + 2, close)) {
          boolean array = tk.is(sql, "ARRAY");
          append(out, tk, tk.text(sql));
          out.append(t.get(k + 1).spaceBefore() ? " " : "").append(array ? "[?]" : "(?)");
          previous = Type.CLOSE;
          previousText = array ? "]" : ")";
          k = close;
          continue;
        }
        text = tk.text(sql);
      } else {
        text = tk.text(sql);
        if (tk.is(sql, "VALUES") && k + 1 < t.size() && t.get(k + 1).type() == Type.OPEN) {
          int close = matching(sql, t, k + 1);
          if (close > 0) {
            valuesRowEnds.push(close);
          }
        }
      }
      append(out, tk, text);
      previous = tk.type();
      previousText = text;
      if (!valuesRowEnds.isEmpty() && valuesRowEnds.peek() == k) {
        valuesRowEnds.pop();
        int last = k;
        while (last + 2 < t.size() && t.get(last + 1).type() == Type.COMMA
            && t.get(last + 2).type() == Type.OPEN) {
          int close = matching(sql, t, last + 2);
          if (close < 0) {
            break;
          }
          last = close;
        }
        if (last != k) {
          out.append(", ...");
          k = last;
        }
      }
    }
    String s = out.toString();
    return s.isEmpty() ? EMPTY : s;
  }

  private static void append(StringBuilder out, Token tk, String text) {
    if (tk.spaceBefore() && out.length() > 0) {
      out.append(' ');
    }
    out.append(text);
  }

  private static boolean signMayFollow(Type previous, String previousText) {
    if (previous == null) {
      return true;
    }
    return switch (previous) {
      case STRING, NUMBER, PARAMETER, QUOTED_IDENTIFIER, CLOSE -> false;
      case WORD -> BEFORE_SIGN.contains(previousText.toUpperCase(Locale.ROOT));
      case OTHER -> !previousText.equals("]"); // after an operator; a[1] - 5 subtracts
      default -> true; // after '(', ',' or ';'
    };
  }

  /** The index of the token that closes the bracket at {@code open}, or -1. */
  private static int matching(String sql, List<Token> t, int open) {
    boolean square = t.get(open).is(sql, '[');
    int depth = 0;
    for (int k = open; k < t.size(); k++) {
      Token tk = t.get(k);
      if (square ? tk.is(sql, '[') : tk.type() == Type.OPEN) {
        depth++;
      } else if (square ? tk.is(sql, ']') : tk.type() == Type.CLOSE) {
        if (--depth == 0) {
          return k;
        }
      }
    }
    return -1;
  }

  /** Whether tokens {@code [from, to)} are only values: literals, placeholders, casts, tuples. */
  private static boolean onlyValues(String sql, List<Token> t, int from, int to) {
    for (int k = from; k < to; k++) {
      Token tk = t.get(k);
      switch (tk.type()) {
        case STRING, NUMBER, PARAMETER, COMMA, OPEN, CLOSE -> {
          // a value, or the punctuation of a list or tuple of values
        }
        case WORD -> {
          boolean cast = k > from && t.get(k - 1).is(sql, ':');
          boolean typed = k + 1 < to && t.get(k + 1).type() == Type.STRING; // DATE '2024-01-01'
          if (!cast && !typed && !VALUE_WORDS.contains(tk.text(sql).toUpperCase(Locale.ROOT))) {
            return false;
          }
        }
        case OTHER -> {
          if (!(tk.is(sql, '-') || tk.is(sql, '+') || tk.is(sql, ':') || tk.is(sql, '[')
              || tk.is(sql, ']'))) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }
}
