package io.github.perfkit.jdbc.internal;

import java.util.Locale;

/**
 * The lexical rules of one SQL dialect that decide where a literal or a comment begins and ends:
 * all {@link SqlLexer} needs to find every literal and comment in a statement. Each rule below was
 * checked against the real database (PostgreSQL 15, MariaDB 10.11, H2 2.4, DuckDB 2.0).
 *
 * <p>Assumptions: PostgreSQL runs with {@code standard_conforming_strings=on} (the default since
 * 9.1: a backslash is an ordinary character in {@code '...'}, an escape only in {@code E'...'});
 * MariaDB/MySQL run without {@code ANSI_QUOTES} and without {@code NO_BACKSLASH_ESCAPES} (the
 * defaults: {@code "..."} is a string and a backslash escapes in both kinds of string).
 */
public enum SqlDialect {

  /** PostgreSQL: nested block comments, {@code E'..'}, {@code $$..$$} and {@code $tag$..$tag$}. */
  POSTGRESQL(true, false, false, false, false, false, true, true, true, false),
  /**
   * MariaDB and MySQL: {@code #} comments, {@code --} a comment only before whitespace, block
   * comments that do not nest, {@code "..."} strings, backslash escapes, {@code _charset'..'}.
   */
  MYSQL(false, true, true, false, true, true, false, false, false, true),
  /** H2: nested block comments, {@code //} comments, {@code $$..$$} (no tags), no escapes. */
  H2(true, false, false, true, false, false, false, true, false, false),
  /** DuckDB: nested block comments, {@code E'..'}, {@code $$..$$} and {@code $tag$..$tag$}. */
  DUCKDB(true, false, false, false, false, false, true, true, true, false),
  /**
   * Any other database: standard SQL plus PostgreSQL's extensions, and, to stay on the safe side,
   * {@code "..."} treated as a literal (it is an identifier in standard SQL, a string in some
   * databases).
   */
  GENERIC(true, false, false, false, true, false, true, true, true, false);

  final boolean nestedComments;
  final boolean hashComments;
  final boolean dashDashNeedsSpace;
  final boolean slashSlashComments;
  final boolean doubleQuotedStrings;
  final boolean backslashEscapes;
  final boolean escapeStrings;
  final boolean dollarQuotes;
  final boolean dollarTags;
  final boolean charsetIntroducers;

  SqlDialect(boolean nestedComments, boolean hashComments, boolean dashDashNeedsSpace,
      boolean slashSlashComments, boolean doubleQuotedStrings, boolean backslashEscapes,
      boolean escapeStrings, boolean dollarQuotes, boolean dollarTags, boolean charsetIntroducers) {
    this.nestedComments = nestedComments;
    this.hashComments = hashComments;
    this.dashDashNeedsSpace = dashDashNeedsSpace;
    this.slashSlashComments = slashSlashComments;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.backslashEscapes = backslashEscapes;
    this.escapeStrings = escapeStrings;
    this.dollarQuotes = dollarQuotes;
    this.dollarTags = dollarTags;
    this.charsetIntroducers = charsetIntroducers;
  }

  /**
   * The dialect of a database product.
   *
   * @param productName {@code DatabaseMetaData.getDatabaseProductName()}, or null when unknown
   * @return its dialect; {@link #GENERIC} when not one of the known ones
   */
  public static SqlDialect forProduct(String productName) {
    if (productName == null) {
      return GENERIC;
    }
    String p = productName.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MYSQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    if (p.contains("duckdb")) {
      return DUCKDB;
    }
    return GENERIC;
  }
}
