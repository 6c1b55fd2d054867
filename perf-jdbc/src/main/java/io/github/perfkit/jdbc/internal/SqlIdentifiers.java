package io.github.perfkit.jdbc.internal;

import io.github.perfkit.core.internal.Require;
import java.util.regex.Pattern;

/**
 * Validation of table and column names that perfkit's helpers splice into SQL. Only plain identifiers
 * pass: a letter or underscore, then letters, digits or underscores, optionally qualified by one schema
 * ({@code schema.table}); at most 63 characters a part. Anything else (quotes, spaces, semicolons,
 * comments) is rejected, so no helper can be used for SQL injection; the error shows the rejected
 * value with its literals replaced by {@code ?}. Used by {@link io.github.perfkit.jdbc.KeyFetcher};
 * not API. Stateless and thread-safe.
 */
public final class SqlIdentifiers {

  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SqlIdentifiers() {}

  /**
   * Returns {@code identifier} unchanged when it is a plain (optionally schema-qualified) identifier.
   *
   * @param parameter the parameter's name, for the error message
   * @param identifier the table or column name to check
   * @return {@code identifier}
   * @throws NullPointerException if either argument is null
   * @throws IllegalArgumentException if {@code identifier} is not a plain identifier
   */
  public static String requirePlain(String parameter, String identifier) {
    Require.notNull(parameter, "parameter");
    Require.notNull(identifier, parameter);
    String[] parts = identifier.split("\\.", -1);
    boolean ok = parts.length <= 2;
    for (String part : parts) {
      ok &= PART.matcher(part).matches();
    }
    if (!ok) {
      // the value is echoed as a shape: a fragment of SQL passed by mistake keeps no literal
      String shown = SqlShapes.shape(identifier);
      throw new IllegalArgumentException(parameter + " must be a plain SQL identifier "
          + "([A-Za-z_][A-Za-z0-9_]*, optionally schema-qualified) but was '"
          + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown) + "'"
          + " (literals shown as ?)");
    }
    return identifier;
  }
}
