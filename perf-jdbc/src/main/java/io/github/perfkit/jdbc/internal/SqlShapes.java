package io.github.perfkit.jdbc.internal;

import java.util.regex.Pattern;

/** Reduces SQL text to its shape: literals become {@code ?}, IN lists collapse, whitespace folds. */
public final class SqlShapes {

  private static final Pattern STRING = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9$])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
  private static final Pattern IN_LIST = Pattern.compile("(?i)\\bIN\\s*\\(\\s*\\?(?:\\s*,\\s*\\?)*\\s*\\)");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private SqlShapes() {}

  /**
   * The shape of {@code sql}: no literal survives.
   *
   * @param sql SQL text
   * @return its shape
   */
  public static String shape(String sql) {
    String s = STRING.matcher(sql).replaceAll("?");
    s = NUMBER.matcher(s).replaceAll("?");
    s = IN_LIST.matcher(s).replaceAll("IN (?)");
    return SPACE.matcher(s).replaceAll(" ").trim();
  }
}
