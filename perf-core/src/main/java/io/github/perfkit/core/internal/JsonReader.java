package io.github.perfkit.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for baseline and JMH result files: objects become
 * {@code Map<String, Object>} (insertion-ordered), arrays {@code List<Object>}, numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}. Not thread-safe; one use.
 */
public final class JsonReader {

  private final String s;
  private int i;

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
    r.space();
    Object v = r.value();
    r.space();
    if (r.i != r.s.length()) {
      throw r.error("unexpected text after the document");
    }
    return v;
  }

  private Object value() {
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
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
          out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private Double number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    if (start == i) {
      throw error("unexpected character '" + s.charAt(i) + "'");
    }
    try {
      return Double.valueOf(s.substring(start, i));
    } catch (NumberFormatException e) {
      throw error("bad number " + s.substring(start, i));
    }
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
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not valid JSON at offset " + i + ": " + what);
  }
}
