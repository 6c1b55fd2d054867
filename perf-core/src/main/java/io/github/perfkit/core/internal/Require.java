package io.github.perfkit.core.internal;

import java.time.Duration;

/**
 * The argument checks every perfkit builder and factory makes, written once. Each check names the
 * parameter and, where it is safe to show, the value it refused: {@code NullPointerException} for a
 * null, {@code IllegalArgumentException} for a value out of range. A rule across several settings is
 * {@link #state(boolean, String)}: an {@code IllegalStateException} from {@code build()}.
 *
 * <p>Never pass a secret, a cache key or SQL text as a value here: only sizes, durations, counts and
 * names reach these messages. Stateless and thread-safe.
 */
public final class Require {

  private Require() {}

  /**
   * @param value the argument
   * @param parameter its name
   * @param <T> its type
   * @return the value
   * @throws NullPointerException "parameter must not be null"
   */
  public static <T> T notNull(T value, String parameter) {
    if (value == null) {
      throw new NullPointerException(parameter + " must not be null");
    }
    return value;
  }

  /**
   * @param value the argument (a name: shown in the message when refused only as "blank")
   * @param parameter its name
   * @return the value
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is empty or only whitespace
   */
  public static String notBlank(String value, String parameter) {
    notNull(value, parameter);
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank");
    }
    return value;
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static Duration positive(Duration value, String parameter) {
    notNull(value, parameter);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(parameter + " must be positive but was " + value);
    }
    return value;
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is negative
   */
  public static Duration nonNegative(Duration value, String parameter) {
    notNull(value, parameter);
    if (value.isNegative()) {
      throw new IllegalArgumentException(parameter + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static long positive(long value, String parameter) {
    if (value <= 0) {
      throw new IllegalArgumentException(parameter + " must be positive but was " + value);
    }
    return value;
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static int positive(int value, String parameter) {
    return (int) positive((long) value, parameter);
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is negative
   */
  public static long nonNegative(long value, String parameter) {
    if (value < 0) {
      throw new IllegalArgumentException(parameter + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * @param value the argument
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is negative
   */
  public static int nonNegative(int value, String parameter) {
    return (int) nonNegative((long) value, parameter);
  }

  /**
   * @param value the argument
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is outside [min, max]
   */
  public static long inRange(long value, long min, long max, String parameter) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          parameter + " must be in [" + min + ", " + max + "] but was " + value);
    }
    return value;
  }

  /**
   * @param value the argument
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is outside [min, max]
   */
  public static int inRange(int value, int min, int max, String parameter) {
    return (int) inRange((long) value, (long) min, (long) max, parameter);
  }

  /**
   * @param value the argument
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @param parameter its name
   * @return the value
   * @throws IllegalArgumentException if it is NaN or outside [min, max]
   */
  public static double inRange(double value, double min, double max, String parameter) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          parameter + " must be in [" + min + ", " + max + "] but was " + value);
    }
    return value;
  }

  /**
   * A rule across settings, checked by {@code build()}.
   *
   * @param ok whether the rule holds
   * @param message what is wrong and how to fix it
   * @throws IllegalStateException if it does not hold
   */
  public static void state(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
