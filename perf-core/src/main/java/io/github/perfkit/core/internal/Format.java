package io.github.perfkit.core.internal;

import java.util.Locale;

/**
 * How perfkit's reports write durations and byte counts (three significant figures and a unit),
 * counts and cut texts.
 * Stateless and thread-safe; a call costs one {@code String.format}.
 */
public final class Format {

  private Format() {}

  /**
   * Formats a duration with three significant figures and a unit (ns, µs, ms, s).
   *
   * @param nanos the duration in nanoseconds
   * @return e.g. {@code 12.3 ms}
   */
  public static String duration(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
  }

  /**
   * Formats a byte count with a binary unit (B, KiB, MiB, GiB).
   *
   * @param bytes a count, {@code >= 0}
   * @return e.g. {@code 1.5 MiB}
   */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  /**
   * Formats a count with thousands separators.
   *
   * @param n the count
   * @return e.g. {@code 1,008,000}
   */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * Cuts a text to at most {@code max} characters, ending it in {@code ...} when cut.
   *
   * @param text the text
   * @param max the most characters kept, {@code >= 4}
   * @return the text or its start
   */
  public static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
