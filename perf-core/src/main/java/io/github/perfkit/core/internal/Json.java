package io.github.perfkit.core.internal;

/** A minimal JSON writer (perf-core carries no JSON library). Not thread-safe. */
public final class Json {

  private final StringBuilder out = new StringBuilder();
  private boolean needComma;

  public Json beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  public Json endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  public Json beginArray(String name) {
    key(name);
    out.append('[');
    needComma = false;
    return this;
  }

  public Json endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  public Json field(String name, String value) {
    key(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  public Json field(String name, long value) {
    key(name);
    out.append(value);
    needComma = true;
    return this;
  }

  public Json field(String name, double value) {
    key(name);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else {
      out.append(value);
    }
    needComma = true;
    return this;
  }

  public Json field(String name, boolean value) {
    key(name);
    out.append(value);
    needComma = true;
    return this;
  }

  /** A field whose value is already JSON (an object or array written elsewhere). */
  public Json raw(String name, String json) {
    key(name);
    out.append(json);
    needComma = true;
    return this;
  }

  /** An object inside an array. */
  public Json rawElement(String json) {
    comma();
    out.append(json);
    needComma = true;
    return this;
  }

  private void key(String name) {
    comma();
    string(name);
    out.append(':');
    needComma = false;
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    quote(s, out);
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<' -> out.append("\\u003c"); // safe inside an HTML <script> element
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
