package io.github.perfkit.spring.boot.internal;

import io.github.perfkit.cache.Memoizer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One cache's settings parsed from a property value such as
 * {@code maximumSize=10000,expireAfterWrite=10m,refreshAfterWrite=1m}: a comma-separated list of
 * {@code key=value}. Durations are {@code <number><unit>} with unit {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d} (Caffeine's spec units, plus milliseconds), or ISO-8601 ({@code PT10M}).
 * Immutable and thread-safe; parsing costs a few microseconds, once per cache.
 */
public final class CacheSpec {

  /** The keys a spec may carry. */
  public static final String[] KEYS = {"maximumSize", "expireAfterWrite", "expireAfterAccess",
      "refreshAfterWrite", "targetHitRatio", "minimumRequests"};

  private final Map<String, String> settings;

  private CacheSpec(Map<String, String> settings) {
    this.settings = settings;
  }

  /**
   * Parses a spec.
   *
   * @param property the property the spec came from, for error messages
   * @param spec the spec; blank means "no settings"
   * @return the parsed spec
   * @throws IllegalArgumentException naming the property and the setting on a bad spec
   */
  public static CacheSpec parse(String property, String spec) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (spec != null && !spec.isBlank()) {
      for (String part : spec.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq <= 0 || eq == p.length() - 1) {
          throw new IllegalArgumentException(property + ": '" + p
              + "' is not key=value (keys: " + String.join(", ", KEYS) + ")");
        }
        String key = p.substring(0, eq).trim();
        String value = p.substring(eq + 1).trim();
        if (!java.util.Arrays.asList(KEYS).contains(key)) {
          throw new IllegalArgumentException(property + ": unknown setting '" + key
              + "' (keys: " + String.join(", ", KEYS) + ")");
        }
        if (settings.put(key, value) != null) {
          throw new IllegalArgumentException(property + ": setting '" + key + "' given twice");
        }
        CacheSpec.check(property, key, value);
      }
    }
    return new CacheSpec(settings);
  }

  private static void check(String property, String key, String value) {
    switch (key) {
      case "maximumSize", "minimumRequests" -> number(property, key, value);
      case "targetHitRatio" -> ratio(property, key, value);
      default -> duration(property, key, value);
    }
  }

  /**
   * Applies the settings to a builder.
   *
   * @param builder a fresh builder
   * @param property the property the spec came from, for error messages
   * @return the builder
   */
  public Memoizer.Builder<Object, Object> applyTo(Memoizer.Builder<Object, Object> builder,
      String property) {
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      switch (key) {
        case "maximumSize" -> builder.maximumSize(number(property, key, value));
        case "minimumRequests" -> builder.minimumRequests(number(property, key, value));
        case "targetHitRatio" -> builder.targetHitRatio(ratio(property, key, value));
        case "expireAfterWrite" -> builder.expireAfterWrite(duration(property, key, value));
        case "expireAfterAccess" -> builder.expireAfterAccess(duration(property, key, value));
        case "refreshAfterWrite" -> builder.refreshAfterWrite(duration(property, key, value));
        default -> throw new AssertionError(key);
      }
    }
    return builder;
  }

  /** @return the settings in the order given */
  public Map<String, String> settings() {
    return java.util.Collections.unmodifiableMap(settings);
  }

  private static long number(String property, String key, String value) {
    try {
      long n = Long.parseLong(value.replace("_", ""));
      if (n < 0) {
        throw new IllegalArgumentException(property + ": " + key + " must be >= 0 but was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + ": " + key + " must be a whole number but was '"
          + value + "'"); // the message says it all: the parse error would be the root cause
    }
  }

  private static double ratio(String property, String key, String value) {
    try {
      double r = Double.parseDouble(value);
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException(property + ": " + key
            + " must be in [0, 1] but was " + value);
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + ": " + key + " must be a number in [0, 1] but was '"
          + value + "'");
    }
  }

  /**
   * @param property the property the value came from, for error messages
   * @param value a duration as a spec writes it ({@code 10m}, {@code 500ms}, {@code PT10M})
   * @return the duration
   * @throws IllegalArgumentException naming the property if it is not a positive duration
   */
  public static Duration parseDuration(String property, String value) {
    return duration(property, "duration", value);
  }

  static Duration duration(String property, String key, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("p")) {
        d = Duration.parse(value);
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        d = switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw new NumberFormatException(value);
        };
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(property + ": " + key + " must be > 0 but was " + value);
      }
      return d;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)) {
        throw e;
      }
      throw new IllegalArgumentException(property + ": " + key + " must be a duration such as 10m, "
          + "30s, 500ms or PT10M but was '" + value + "'");
    }
  }
}
