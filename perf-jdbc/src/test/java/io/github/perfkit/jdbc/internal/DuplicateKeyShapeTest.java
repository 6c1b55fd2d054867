package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DuplicateKeyShape#parse}: the MariaDB upserts the multi-row path may take over. */
class DuplicateKeyShapeTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO s.t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "insert into s.t(a,b) values(?,?) on duplicate key update b = b + values(b);",
      "INSERT INTO s.t (a, b)\n VALUES (?, ?)\n ON DUPLICATE KEY\n UPDATE b = 'it''s \\\\ x'"})
  void upsertsAreRecognisedWithTheirInsertAndClause(String sql) {
    DuplicateKeyShape shape = DuplicateKeyShape.parse(sql).orElseThrow();
    assertThat(shape.insert()).isEqualTo(new InsertShape("s", "t", List.of("a", "b")));
    assertThat(shape.clause()).startsWithIgnoringCase("on duplicate key").doesNotEndWith(";");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO t (a, b) VALUES (?, ?)", // plain: InsertShape's
      "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a, b) VALUES (?, now()) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a, b) VALUES (?, 'x') ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a, b) SELECT ?, ? ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = ?",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = 1; DELETE FROM t",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = 1 -- comment",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = 1 # comment",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = /* c */ 1",
      "INSERT INTO t (a, b) VALUES (?, ?) AS n ON DUPLICATE KEY UPDATE b = n.b",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE",
      "INSERT IGNORE INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO `t` (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "REPLACE INTO t (a, b) VALUES (?, ?)",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b",
      "UPDATE t SET b = ? WHERE a = ?"})
  void anythingElseIsNotADuplicateKeyShape(String sql) {
    assertThat(DuplicateKeyShape.parse(sql)).as(sql).isEmpty();
  }
}
