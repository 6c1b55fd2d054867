package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 9: every literal and comment form of PostgreSQL and MariaDB/MySQL leaves the shape. */
class SqlShapesTest {

  static final String SECRET = "hunter2";

  /** dialect, SQL with a planted secret, the expected shape. */
  static Stream<Arguments> forms() {
    return Stream.of(
        // PostgreSQL
        pg("SELECT a FROM t WHERE p = 'hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = 'it''s hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = 'C:\\' AND q = 'hunter2'", "SELECT a FROM t WHERE p = ? AND q = ?"),
        pg("SELECT a FROM t WHERE p = E'it\\'s hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = e'hunter2\\\\' AND q = 1", "SELECT a FROM t WHERE p = ? AND q = ?"),
        pg("SELECT a FROM t WHERE p = $$hunter2 'quoted' $$", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = $tag$hunter2 $$ ' $tag$", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = U&'hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = N'hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = 'hunter2'::text", "SELECT a FROM t WHERE p = ?::text"),
        pg("SELECT a FROM t WHERE p = 'hun'\n'ter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = 'multi\nline hunter2'", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a /* hunter2 */ FROM t", "SELECT a FROM t"),
        pg("SELECT a /* outer /* hunter2 */ still hunter2 */ FROM t", "SELECT a FROM t"),
        pg("SELECT a FROM t -- hunter2\nWHERE b = ?", "SELECT a FROM t WHERE b = ?"),
        pg("SELECT a FROM t --hunter2", "SELECT a FROM t"),
        pg("SELECT a FROM t WHERE /* it's */ p = 'hunter2' -- it's", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t WHERE p = X'31337' OR q = B'1010'", "SELECT a FROM t WHERE p = ? OR q = ?"),
        pg("SELECT a FROM t WHERE n = -31337 OR m = 31337.25 OR k = 3.1337e5 OR j = .31337 OR i=-31337",
            "SELECT a FROM t WHERE n = ? OR m = ? OR k = ? OR j = ? OR i=?"),
        pg("SELECT a - 31337, b-31337, f(-31337) FROM t", "SELECT a - ?, b-?, f(?) FROM t"),
        pg("SELECT a FROM t WHERE id IN (31337, 2, 3) AND p IN ('hunter2', 'x')",
            "SELECT a FROM t WHERE id IN (?) AND p IN (?)"),
        pg("SELECT a FROM t WHERE id IN ($1, $2) AND (x, y) IN ((1, 'hunter2'), (2, 'b'))",
            "SELECT a FROM t WHERE id IN (?) AND (x, y) IN (?)"),
        pg("SELECT a FROM t WHERE id = ANY(ARRAY[31337, 2])", "SELECT a FROM t WHERE id = ANY(ARRAY[?])"),
        pg("SELECT a FROM t WHERE id IN (SELECT b FROM u WHERE p = 'hunter2')",
            "SELECT a FROM t WHERE id IN (SELECT b FROM u WHERE p = ?)"),
        pg("INSERT INTO t (a, b) VALUES (1, 'hunter2'), (2, 'x'), (3, 'y') RETURNING id",
            "INSERT INTO t (a, b) VALUES (?, ?), ... RETURNING id"),
        pg("SELECT * FROM (VALUES (1, 'hunter2'), (2, 'x')) v(a, b)", "SELECT * FROM (VALUES (?, ?), ...) v(a, b)"),
        pg("SELECT a FROM t WHERE p = 'unterminated hunter2", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT a FROM t /* unterminated hunter2", "SELECT a FROM t"),
        pg("SELECT a FROM t WHERE p = $x$unterminated hunter2", "SELECT a FROM t WHERE p = ?"),
        pg("SELECT \"a\"\"b\", a$b FROM \"T\" WHERE c = ? AND d = $1", "SELECT \"a\"\"b\", a$b FROM \"T\" WHERE c = ? AND d = $1"),
        // MariaDB / MySQL
        my("SELECT a FROM t WHERE p = 'hunter2'", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = 'it''s hunter2'", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = 'it\\'s hunter2'", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = 'ends in \\\\' AND q = 'hunter2'", "SELECT a FROM t WHERE p = ? AND q = ?"),
        my("SELECT a FROM t WHERE p = \"hunter2\"", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = \"say \\\"hunter2\\\"\"", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = \"it\"\"s hunter2\"", "SELECT a FROM t WHERE p = ?"),
        my("SELECT a FROM t WHERE p = \"it's\" AND q = 'hunter2'", "SELECT a FROM t WHERE p = ? AND q = ?"),
        my("SELECT a FROM t # hunter2\nWHERE b = ?", "SELECT a FROM t WHERE b = ?"),
        my("SELECT a FROM t -- hunter2\nWHERE b = ?", "SELECT a FROM t WHERE b = ?"),
        my("SELECT a FROM t WHERE b = 1--1", "SELECT a FROM t WHERE b = ?-?"),
        my("SELECT a /* hunter2 */ FROM t", "SELECT a FROM t"),
        my("SELECT a /* hunter2 /* */ FROM t", "SELECT a FROM t"),
        my("SELECT /*+ hunter2 */ a FROM t", "SELECT a FROM t"),
        my("SELECT /*!50000 'hunter2' */ a FROM t", "SELECT a FROM t"),
        my("SELECT a FROM t WHERE p = x'68756e74657232' OR q = X'68756E74657232'",
            "SELECT a FROM t WHERE p = ? OR q = ?"),
        my("SELECT a FROM t WHERE p = 0x68756e74657232 OR q = b'0110100001110101' OR r = 0b0110",
            "SELECT a FROM t WHERE p = ? OR q = ? OR r = ?"),
        my("SELECT a FROM t WHERE p = _utf8mb4'hunter2' OR q = N'hunter2' OR r = _binary 'hunter2'",
            "SELECT a FROM t WHERE p = ? OR q = ? OR r = _binary ?"),
        my("SELECT a FROM t WHERE n = -31337 OR m = 31337.25 OR k = 3.1337e4",
            "SELECT a FROM t WHERE n = ? OR m = ? OR k = ?"),
        my("SELECT a FROM t WHERE id IN (31337, 2) AND p IN (\"hunter2\", 'x')",
            "SELECT a FROM t WHERE id IN (?) AND p IN (?)"),
        my("INSERT INTO t (a, b) VALUES (1, 'hunter2'), (2, 'x') ON DUPLICATE KEY UPDATE b = 'hunter2'",
            "INSERT INTO t (a, b) VALUES (?, ?), ... ON DUPLICATE KEY UPDATE b = ?"),
        my("SELECT `a` FROM `t` JOIN 2fa_codes c WHERE p = 'hunter2'",
            "SELECT `a` FROM `t` JOIN 2fa_codes c WHERE p = ?"),
        my("SELECT a FROM t WHERE p = 'unterminated \\' hunter2", "SELECT a FROM t WHERE p = ?"));
  }

  private static Arguments pg(String sql, String shape) {
    return Arguments.of(SqlDialect.POSTGRESQL, sql, shape);
  }

  private static Arguments my(String sql, String shape) {
    return Arguments.of(SqlDialect.MYSQL, sql, shape);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("forms")
  void everyLiteralAndCommentFormLeavesTheShape(SqlDialect dialect, String sql, String expected) {
    String shape = SqlShapes.shape(sql, dialect);
    assertThat(shape).isEqualTo(expected);
    assertThat(shape).doesNotContain(SECRET).doesNotContain("31337").doesNotContain("68756")
        .doesNotContain("0110");
  }

  /** dialect, SQL, its exact shape: upserts, multi-row VALUES, quoting that hides other syntax. */
  static Stream<Arguments> statements() {
    return Stream.of(
        // upserts: the conflict clause stays, its literals go
        pg("INSERT INTO t (a, b) VALUES ($1, 'x') ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b || 'y'",
            "INSERT INTO t (a, b) VALUES ($1, ?) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b || ?"),
        pg("INSERT INTO t (a) VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING",
            "INSERT INTO t (a) VALUES (?) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING"),
        my("INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b) + 1",
            "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b) + ?"),
        // multi-row VALUES keep their first row, whatever the rows hold
        pg("INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)", "INSERT INTO t (a, b) VALUES (?, ?), ..."),
        pg("INSERT INTO t (a, b) VALUES (1, 'a'),(2, 'b') ON CONFLICT DO NOTHING",
            "INSERT INTO t (a, b) VALUES (?, ?), ... ON CONFLICT DO NOTHING"),
        pg("INSERT INTO t (a, b) VALUES (-1, +2), (3, now())", "INSERT INTO t (a, b) VALUES (?, ?), ..."),
        pg("INSERT INTO t (a) VALUES ('it''s, (not) a row'), ('x')", "INSERT INTO t (a) VALUES (?), ..."),
        my("INSERT INTO t (a) VALUES ('a\\'), (b'), ('c')", "INSERT INTO t (a) VALUES (?), ..."),
        // a quoted identifier hides quotes and comment markers on the dialects where it is one
        pg("SELECT \"it's -- not /* a comment\" FROM t WHERE p = 'x'",
            "SELECT \"it's -- not /* a comment\" FROM t WHERE p = ?"),
        my("SELECT `it's -- not # a comment` FROM t WHERE p = 'x'",
            "SELECT `it's -- not # a comment` FROM t WHERE p = ?"),
        // a string hides comment markers and the other quote; a comment hides quotes
        pg("SELECT a FROM t WHERE p = 'a -- b /* c */ \"d\"' AND q = ?",
            "SELECT a FROM t WHERE p = ? AND q = ?"),
        my("SELECT a FROM t WHERE p = 'a # b -- c \"d\"' AND q = ?",
            "SELECT a FROM t WHERE p = ? AND q = ?"),
        pg("SELECT a /* it's \"x\" */ FROM t -- don't", "SELECT a FROM t"),
        my("SELECT a /* it's \"x\" */ FROM t # don't", "SELECT a FROM t"),
        // whitespace folds to one space; placeholders stay
        pg("SELECT\n\ta ,b\r\n  FROM   t\nWHERE c = ? AND d IN (?, ?, ?)",
            "SELECT a ,b FROM t WHERE c = ? AND d IN (?)"),
        Arguments.of(SqlDialect.DUCKDB, "SELECT 'it''s' AS \"x\"", "SELECT ? AS \"x\""),
        Arguments.of(SqlDialect.H2, "SELECT 'it''s' AS \"x\" FROM t WHERE a = -1",
            "SELECT ? AS \"x\" FROM t WHERE a = ?"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("statements")
  void statementsKeepTheirStructureAndLoseTheirLiterals(SqlDialect dialect, String sql,
      String expected) {
    assertThat(SqlShapes.shape(sql, dialect)).isEqualTo(expected);
  }

  @Test
  void theOneArgumentFormUsesTheConservativeGenericRules() {
    String sql = "SELECT \"x\", 'y' FROM t # z";
    assertThat(SqlShapes.shape(sql)).isEqualTo(SqlShapes.shape(sql, SqlDialect.GENERIC));
    assertThat(SqlShapes.shape("SELECT \"hunter2\" FROM t")).isEqualTo("SELECT ? FROM t");
  }

  @Test
  void aStatementWithoutTokensHasTheEmptyShape() {
    assertThat(SqlShapes.shape("", SqlDialect.POSTGRESQL)).isEqualTo(SqlShapes.EMPTY);
    assertThat(SqlShapes.shape(" \n\t ", SqlDialect.MYSQL)).isEqualTo(SqlShapes.EMPTY);
    assertThat(SqlShapes.shape("-- hunter2", SqlDialect.GENERIC)).isEqualTo(SqlShapes.EMPTY);
  }

  @Test
  void doubleQuotesAreIdentifiersOnPostgresAndStringsOnMysqlAndInTheGenericRules() {
    String sql = "SELECT \"hunter2\" FROM t";
    assertThat(SqlShapes.shape(sql, SqlDialect.POSTGRESQL)).isEqualTo(sql);
    assertThat(SqlShapes.shape(sql, SqlDialect.H2)).isEqualTo(sql);
    assertThat(SqlShapes.shape(sql, SqlDialect.DUCKDB)).isEqualTo(sql);
    assertThat(SqlShapes.shape(sql, SqlDialect.MYSQL)).isEqualTo("SELECT ? FROM t");
    assertThat(SqlShapes.shape(sql, SqlDialect.GENERIC)).isEqualTo("SELECT ? FROM t");
  }

  @Test
  void dialectRulesThatDifferAreFollowed() {
    // '#' is PostgreSQL's XOR operator but a comment on MySQL
    assertThat(SqlShapes.shape("SELECT 1 # 'hunter2'", SqlDialect.POSTGRESQL)).isEqualTo("SELECT ? # ?");
    assertThat(SqlShapes.shape("SELECT 1 # 'hunter2'", SqlDialect.MYSQL)).isEqualTo("SELECT ?");
    // a backslash is an ordinary character in PostgreSQL's '...', an escape on MySQL
    assertThat(SqlShapes.shape("SELECT 'a\\', 'hunter2'", SqlDialect.POSTGRESQL)).isEqualTo("SELECT ?, ?");
    assertThat(SqlShapes.shape("SELECT 'a\\', hunter2'", SqlDialect.MYSQL)).isEqualTo("SELECT ?");
    // H2's // comments
    assertThat(SqlShapes.shape("SELECT a // hunter2\nFROM t", SqlDialect.H2)).isEqualTo("SELECT a FROM t");
    assertThat(SqlShapes.shape("/* hunter2 */", SqlDialect.POSTGRESQL)).isEqualTo(SqlShapes.EMPTY);
  }

  @Test
  void aVeryLongShapeIsCutAtATokenBoundary() {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < 2_000; i++) {
      sql.append(i == 0 ? "" : ", ").append("column_").append(i).append(" = 'hunter2'");
    }
    String shape = SqlShapes.shape(sql.toString(), SqlDialect.POSTGRESQL);
    assertThat(shape.length()).isBetween(SqlShapes.MAX_LENGTH, SqlShapes.MAX_LENGTH + 100);
    assertThat(shape).endsWith(" ...").doesNotContain(SECRET);
  }

  @Test
  void theShapeCacheStaysAtItsBoundUnderDistinctLiteralSql() {
    ShapeCache cache = new ShapeCache(SqlDialect.POSTGRESQL, 1_000, 200);
    for (int i = 0; i < 100_000; i++) {
      assertThat(cache.shape("SELECT a FROM t WHERE p = 'hunter" + i + "'"))
          .isEqualTo("SELECT a FROM t WHERE p = ?");
      assertThat(cache.size()).isLessThanOrEqualTo(1_000);
    }
    assertThat(cache.shape("SELECT '" + "x".repeat(300) + "'")).isEqualTo("SELECT ?");
    assertThat(cache.size()).as("texts longer than the key limit are not kept").isLessThanOrEqualTo(1_000);
  }
}
