package io.github.perfkit.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation of table and column names that perfkit's helpers splice into SQL. Only plain identifiers
 * pass: a letter or underscore, then letters, digits or underscores, optionally qualified by one schema
 * ({@code schema.table}); at most 63 characters a part. Anything else (quotes, spaces, semicolons,
 * comments) is rejected, so no helper can be used for SQL injection. Stateless and thread-safe.
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
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(identifier, parameter);
    String[] parts = identifier.split("\\.", -1);
    boolean ok = parts.length <= 2;
    for (String part : parts) {
      ok &= PART.matcher(part).matches();
    }
    if (!ok) {
      throw new IllegalArgumentException(parameter + " must be a plain SQL identifier "
          + "([A-Za-z_][A-Za-z0-9_]*, optionally schema-qualified) but was '" + identifier + "'");
    }
    return identifier;
  }
}
