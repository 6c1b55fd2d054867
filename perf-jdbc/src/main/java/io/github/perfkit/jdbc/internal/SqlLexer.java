package io.github.perfkit.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens by one {@link SqlDialect}'s rules, dropping comments, so that every
 * literal (strings in all their forms, numbers) is one token whose text can be replaced and every
 * comment is gone. An unterminated string or comment runs to the end of the text, so nothing after
 * an unbalanced quote can surface as ordinary text. Stateless; one pass, linear in the text.
 */
public final class SqlLexer {

  /** What a token is. */
  public enum Type {
    /** A keyword or plain identifier (also a MySQL identifier that starts with digits). */
    WORD,
    /** A quoted identifier: {@code "..."} (not MySQL), {@code `...`}. */
    QUOTED_IDENTIFIER,
    /** A string literal in any form: {@code '..'}, {@code E'..'}, {@code x'..'}, {@code $$..$$}... */
    STRING,
    /** A numeric literal: integer, decimal, exponent, hexadecimal, binary, octal. */
    NUMBER,
    /** A parameter placeholder: {@code ?} or {@code $1}. */
    PARAMETER,
    /** {@code (}. */
    OPEN,
    /** {@code )}. */
    CLOSE,
    /** {@code ,}. */
    COMMA,
    /** {@code ;}. */
    SEMICOLON,
    /** Any other single character: operators, {@code .}, {@code [}, ... */
    OTHER
  }

  /**
   * One token.
   *
   * @param type what it is
   * @param start its first character's index
   * @param end the index after its last character
   * @param spaceBefore whether whitespace or a comment separates it from the token before
   */
  public record Token(Type type, int start, int end, boolean spaceBefore) {

    /**
     * @param sql the text this token came from
     * @return its text
     */
    public String text(String sql) {
      return sql.substring(start, end);
    }

    /**
     * @param sql the text this token came from
     * @param word a keyword in upper case
     * @return whether this is that keyword (any case)
     */
    public boolean is(String sql, String word) {
      return type == Type.WORD && end - start == word.length()
          && sql.regionMatches(true, start, word, 0, word.length());
    }

    /**
     * @param sql the text this token came from
     * @param ch a character
     * @return whether this is the one-character token {@code ch}
     */
    public boolean is(String sql, char ch) {
      return end - start == 1 && sql.charAt(start) == ch && type != Type.STRING;
    }
  }

  private SqlLexer() {}

  /**
   * Tokenises {@code sql}.
   *
   * @param sql SQL text
   * @param d its dialect
   * @return its tokens, comments dropped
   */
  public static List<Token> tokens(String sql, SqlDialect d) {
    int n = sql.length();
    List<Token> out = new ArrayList<>(Math.max(8, n / 4));
    boolean space = false;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
      if (Character.isWhitespace(c)) {
        space = true;
        i++;
        continue;
      }
      if (c == '-' && next == '-'
          && (!d.dashDashNeedsSpace || i + 2 >= n || sql.charAt(i + 2) <= ' ')
          || c == '#' && d.hashComments
          || c == '/' && next == '/' && d.slashSlashComments) {
        i = lineEnd(sql, i);
        space = true;
        continue;
      }
      if (c == '/' && next == '*') {
        i = blockCommentEnd(sql, i, d.nestedComments);
        space = true;
        continue;
      }
      int start = i;
      Type type;
      if (c == '\'') {
        type = Type.STRING;
        i = quotedEnd(sql, i + 1, '\'', d.backslashEscapes);
      } else if (c == '"') {
        type = d.doubleQuotedStrings ? Type.STRING : Type.QUOTED_IDENTIFIER;
        i = quotedEnd(sql, i + 1, '"', d.doubleQuotedStrings && d.backslashEscapes);
      } else if (c == '`') {
        type = Type.QUOTED_IDENTIFIER;
        i = quotedEnd(sql, i + 1, '`', false);
      } else if (c == '$' && isDigit(next)) {
        type = Type.PARAMETER;
        i = skipDigits(sql, i + 1);
      } else if (c == '$' && d.dollarQuotes && dollarTagEnd(sql, i, d.dollarTags) > 0) {
        type = Type.STRING;
        int tagEnd = dollarTagEnd(sql, i, d.dollarTags);
        int close = sql.indexOf(sql.substring(i, tagEnd), tagEnd);
        i = close < 0 ? n : close + (tagEnd - i);
      } else if (isDigit(c) || c == '.' && isDigit(next) && !followsName(sql, i)) {
        i = numberEnd(sql, i);
        type = Type.NUMBER;
        if (d == SqlDialect.MYSQL && i < n && isIdentifierPart(sql.charAt(i))) { // 2fa_codes
          i = wordEnd(sql, i);
          type = Type.WORD;
        }
      } else if (isIdentifierStart(c) || c == '$' && d == SqlDialect.MYSQL) {
        i = wordEnd(sql, i + 1);
        type = Type.WORD;
        int prefixed = prefixedStringEnd(sql, start, i, d);
        if (prefixed > 0) {
          type = Type.STRING;
          i = prefixed;
        }
      } else {
        i++;
        type = switch (c) {
          case '?' -> Type.PARAMETER;
          case '(' -> Type.OPEN;
          case ')' -> Type.CLOSE;
          case ',' -> Type.COMMA;
          case ';' -> Type.SEMICOLON;
          default -> Type.OTHER;
        };
      }
      out.add(new Token(type, start, i, space));
      space = false;
    }
    return out;
  }

  /**
   * A string with a prefix glued to its quote: {@code E'..'} (backslash escapes), {@code B'..'},
   * {@code X'..'}, {@code N'..'}, {@code U&'..'} and MySQL's {@code _charset'..'}.
   *
   * @return the end of the string, or -1 when the word is not such a prefix
   */
  private static int prefixedStringEnd(String sql, int start, int end, SqlDialect d) {
    int n = sql.length();
    if (end >= n) {
      return -1;
    }
    char quote = sql.charAt(end);
    int length = end - start;
    char first = Character.toUpperCase(sql.charAt(start));
    if (quote == '\'' && length == 1 && first == 'E' && d.escapeStrings) {
      return quotedEnd(sql, end + 1, '\'', true);
    }
    if (quote == '\'' && length == 1 && (first == 'B' || first == 'X' || first == 'N')
        || quote == '\'' && d.charsetIntroducers && sql.charAt(start) == '_') {
      return quotedEnd(sql, end + 1, '\'', d.backslashEscapes);
    }
    if (quote == '&' && length == 1 && first == 'U' && end + 1 < n && sql.charAt(end + 1) == '\'') {
      return quotedEnd(sql, end + 2, '\'', d.backslashEscapes);
    }
    return -1;
  }

  /** The end of a quoted run whose opening quote is just before {@code from}; doubled quotes stay in. */
  private static int quotedEnd(String sql, int from, char quote, boolean backslash) {
    int n = sql.length();
    int j = from;
    while (j < n) {
      char c = sql.charAt(j);
      if (backslash && c == '\\') {
        j += 2;
      } else if (c == quote) {
        if (j + 1 < n && sql.charAt(j + 1) == quote) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        j++;
      }
    }
    return n; // unterminated: the rest is the literal
  }

  /** {@code $$} or {@code $tag$} at {@code i}: the index after its closing {@code $}, else -1. */
  private static int dollarTagEnd(String sql, int i, boolean tags) {
    int n = sql.length();
    if (i > 0 && isIdentifierPart(sql.charAt(i - 1))) {
      return -1; // inside a name such as a$b$
    }
    int j = i + 1;
    if (tags && j < n && isIdentifierStart(sql.charAt(j))) {
      j++;
      while (j < n && isIdentifierPart(sql.charAt(j)) && sql.charAt(j) != '$') {
        j++;
      }
    }
    return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  private static int lineEnd(String sql, int i) {
    int n = sql.length();
    while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  private static int blockCommentEnd(String sql, int i, boolean nested) {
    int n = sql.length();
    int depth = 1;
    int j = i + 2;
    while (j < n) {
      char c = sql.charAt(j);
      char next = j + 1 < n ? sql.charAt(j + 1) : '\0';
      if (c == '*' && next == '/') {
        j += 2;
        if (--depth == 0) {
          return j;
        }
      } else if (nested && c == '/' && next == '*') {
        depth++;
        j += 2;
      } else {
        j++;
      }
    }
    return n; // unterminated: the rest is the comment
  }

  private static int numberEnd(String sql, int i) {
    int n = sql.length();
    char c = sql.charAt(i);
    char radix = i + 1 < n ? Character.toLowerCase(sql.charAt(i + 1)) : '\0';
    if (c == '0' && (radix == 'x' || radix == 'b' || radix == 'o') && i + 2 < n
        && Character.digit(sql.charAt(i + 2), radix == 'x' ? 16 : radix == 'b' ? 2 : 8) >= 0) {
      int j = i + 2;
      while (j < n && (Character.digit(sql.charAt(j), 16) >= 0 || sql.charAt(j) == '_')) {
        j++;
      }
      return j;
    }
    int j = skipDigits(sql, i);
    if (j < n && sql.charAt(j) == '.') {
      j = skipDigits(sql, j + 1);
    }
    if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
        k++;
      }
      if (k < n && isDigit(sql.charAt(k))) {
        j = skipDigits(sql, k);
      }
    }
    return j;
  }

  private static int skipDigits(String sql, int j) {
    int n = sql.length();
    while (j < n && (isDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j;
  }

  private static int wordEnd(String sql, int j) {
    int n = sql.length();
    while (j < n && isIdentifierPart(sql.charAt(j))) {
      j++;
    }
    return j;
  }

  /** Whether the {@code .} at {@code i} qualifies a name ({@code t.col}) rather than starting a number. */
  private static boolean followsName(String sql, int i) {
    if (i == 0) {
      return false;
    }
    char p = sql.charAt(i - 1);
    return isIdentifierPart(p) || p == '"' || p == '`' || p == ')' || p == ']';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  private static boolean isIdentifierPart(char c) {
    return c == '_' || c == '$' || Character.isLetterOrDigit(c);
  }
}
