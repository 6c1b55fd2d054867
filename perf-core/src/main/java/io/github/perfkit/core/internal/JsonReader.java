package io.github.perfkit.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for baseline and JMH result files: objects become
 * {@code Map<String, Object>} (insertion-ordered), arrays {@code List<Object>}, numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}. Nesting deeper than
 * {@link #MAX_DEPTH} is rejected (a clear error instead of a {@code StackOverflowError}). Not
 * thread-safe; one use.
 */
public final class JsonReader {

  /**
   * The deepest nesting of objects and arrays accepted: far beyond baselines and JMH files (five
   * levels) and deep query plans (two levels per plan node), well within a thread's stack.
   */
  public static final int MAX_DEPTH = 1_000;

  private final String s;
  private int i;
  private int depth;

  private JsonReader(String s) {
    this.s = s;
  }

  /**
   * @param json the document
   * @return its value
   * @throws IllegalArgumentException with the offset, when the text is not JSON
   */
  public static Object parse(String json) {
    JsonReader r = new JsonReader(json);
    r.refuseTooDeep();
    r.space();
    Object v = r.value();
    r.space();
    if (r.i != r.s.length()) {
      throw r.error("unexpected text after the document");
    }
    return v;
  }

  /**
   * Finds nesting beyond {@link #MAX_DEPTH} in one loop before the recursive parse starts, so an
   * absurd document never takes the parser's stack near its end (a StackOverflowError was seen on
   * JDK 25 for 200,000 levels although the recursive check stops at 1,000).
   */
  private void refuseTooDeep() {
    int level = 0;
    boolean inString = false;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (inString) {
        if (c == '\\') {
          k++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++level > MAX_DEPTH) {
          i = k;
          throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
      } else if (c == '}' || c == ']') {
        level--;
      }
    }
  }

  private Object value() {
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    return switch (c) {
      case '{' -> nested(object());
      case '[' -> nested(array());
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private <T> T nested(T value) {
    depth--;
    return value;
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    i++;
    space();
    if (peek('}')) {
      i++;
      return map;
    }
    while (true) {
      space();
      if (!peek('"')) {
        throw error("expected a field name");
      }
      String key = string();
      space();
      expect(':');
      space();
      map.put(key, value());
      space();
      if (peek(',')) {
        i++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    i++;
    space();
    if (peek(']')) {
      i++;
      return list;
    }
    while (true) {
      space();
      list.add(value());
      space();
      if (peek(',')) {
        i++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() {
    i++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        i--;
        throw error("control character U+" + String.format("%04X", (int) c)
            + " in a string (escape it)");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw error("short unicode escape");
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int digit = Character.digit(s.charAt(i + k), 16);
            if (digit < 0) {
              throw error("bad unicode escape");
            }
            code = code * 16 + digit;
          }
          out.append((char) code);
          i += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
  private Double number() {
    int start = i;
    if (peek('-')) {
      i++;
    }
    if (peek('0')) {
      i++;
    } else if (digits() == 0) {
      i = start;
      throw error(i < s.length() ? "unexpected character '" + s.charAt(i) + "'"
          : "unexpected end");
    }
    if (peek('.')) {
      i++;
      if (digits() == 0) {
        throw error("a digit must follow the decimal point");
      }
    }
    if (peek('e') || peek('E')) {
      i++;
      if (peek('+') || peek('-')) {
        i++;
      }
      if (digits() == 0) {
        throw error("a digit must follow the exponent");
      }
    }
    return Double.valueOf(s.substring(start, i));
  }

  private int digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i - start;
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, i)) {
      throw error("expected " + word);
    }
    i += word.length();
    return value;
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private void space() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
        || s.charAt(i) == '\r')) {
      i++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not valid JSON at offset " + i + ": " + what);
  }
}
