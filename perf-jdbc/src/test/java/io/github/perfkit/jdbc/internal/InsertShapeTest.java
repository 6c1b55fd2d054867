package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link InsertShape#parse}: exactly the plain inserts a bulk path may take over are recognised,
 * with their schema, table and columns; anything else keeps {@code executeBatch}.
 */
class InsertShapeTest {

  private static InsertShape plain(String sql) {
    Optional<InsertShape> shape = InsertShape.parse(sql);
    assertThat(shape).as(sql).isPresent();
    return shape.get();
  }

  @Test
  void aPlainInsertGivesItsTableAndColumnsInStatementOrder() {
    assertThat(plain("INSERT INTO orders (id, amount, note) VALUES (?, ?, ?)"))
        .isEqualTo(new InsertShape(null, "orders", List.of("id", "amount", "note")));
  }

  @Test
  void aSchemaQualifiedTableGivesTheSchema() {
    assertThat(plain("INSERT INTO sales.orders (id) VALUES (?)"))
        .isEqualTo(new InsertShape("sales", "orders", List.of("id")));
  }

  @Test
  void keywordsInAnyCaseSpacingAndATrailingSemicolonAreAccepted() {
    InsertShape expected = new InsertShape("s", "t", List.of("a", "b"));
    assertThat(plain("insert into s.t(a,b) values(?,?);")).isEqualTo(expected);
    assertThat(plain("  Insert\n\tInto  s.t\n  ( a ,\tb )\r\n VALUES\n( ? ,  ? )  ;  \n"))
        .isEqualTo(expected);
    assertThat(plain("INSERT INTO s.t (a, b) VALUES (?, ?) ;")).isEqualTo(expected);
  }

  @Test
  void identifiersKeepTheirCaseAndMayStartWithAnUnderscore() {
    assertThat(plain("INSERT INTO _Audit (Id, NAME, created_at2) VALUES (?, ?, ?)"))
        .isEqualTo(new InsertShape(null, "_Audit", List.of("Id", "NAME", "created_at2")));
  }

  @Test
  void theColumnListIsImmutable() {
    List<String> columns = plain("INSERT INTO t (a) VALUES (?)").columns();
    assertThatThrownBy(() -> columns.add("b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // upserts and anything after VALUES
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO NOTHING",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a) VALUES (?) RETURNING id",
      "INSERT INTO t (a) VALUES (?); DELETE FROM t",
      // several rows per statement
      "INSERT INTO t (a) VALUES (?), (?)",
      "INSERT INTO t (a, b) VALUES (?, ?),(?, ?)",
      // literals, expressions, casts, other placeholder styles
      "INSERT INTO t (a, b) VALUES (?, 'x')",
      "INSERT INTO t (a, b) VALUES (?, '?')",
      "INSERT INTO t (a, b) VALUES (?, 1)",
      "INSERT INTO t (a, b) VALUES (?, NULL)",
      "INSERT INTO t (a, b) VALUES (?, DEFAULT)",
      "INSERT INTO t (a) VALUES (?::int)",
      "INSERT INTO t (a) VALUES (lower(?))",
      "INSERT INTO t (a, b) VALUES ($1, $2)",
      "INSERT INTO t (a) VALUES (:a)",
      // placeholders that do not match the columns
      "INSERT INTO t (a, b) VALUES (?)",
      "INSERT INTO t (a) VALUES (?, ?)",
      "INSERT INTO t (a, b) VALUES (?, )",
      "INSERT INTO t (a, b) VALUES (??)",
      "INSERT INTO t (a) VALUES ()",
      "INSERT INTO t (a,) VALUES (?, ?)",
      "INSERT INTO t () VALUES ()",
      // no column list, or rows from a query
      "INSERT INTO t VALUES (?, ?)",
      "INSERT INTO t (a) SELECT ? FROM dual",
      // names that are not plain identifiers
      "INSERT INTO \"Orders\" (id) VALUES (?)",
      "INSERT INTO t (\"id\") VALUES (?)",
      "INSERT INTO `t` (`id`) VALUES (?)",
      "INSERT INTO [t] (id) VALUES (?)",
      "INSERT INTO db.s.t (id) VALUES (?)",
      "INSERT INTO 2fa (id) VALUES (?)",
      "INSERT INTO t (a b) VALUES (?)",
      "INSERT INTO t (t.a) VALUES (?)",
      // comments anywhere
      "/* load */ INSERT INTO t (a) VALUES (?)",
      "INSERT INTO t (a /* the key */) VALUES (?)",
      "INSERT INTO t (a) VALUES (?) -- one row",
      "INSERT INTO t (a) VALUES (? /* a */)",
      // other statements
      "INSERT IGNORE INTO t (a) VALUES (?)",
      "INSERT OR REPLACE INTO t (a) VALUES (?)",
      "REPLACE INTO t (a) VALUES (?)",
      "UPDATE t SET a = ? WHERE b = ?",
      "MERGE INTO t (a) VALUES (?)",
      "WITH x AS (SELECT 1) INSERT INTO t (a) VALUES (?)",
      ""})
  void anythingButAPlainOneRowInsertOfPlaceholdersIsNotAPlainInsert(String sql) {
    assertThat(InsertShape.parse(sql)).as(sql).isEmpty();
  }
}
