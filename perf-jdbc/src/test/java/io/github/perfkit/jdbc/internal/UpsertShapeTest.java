package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UpsertShape#parse}: the upserts the PostgreSQL stage-and-merge path may take over. */
class UpsertShapeTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO s.t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b",
      "insert into s.t(a,b) values(?,?) on conflict do nothing;",
      "INSERT INTO s.t (a, b) VALUES (?, ?)\n ON CONFLICT ON CONSTRAINT t_pkey\n DO UPDATE SET"
          + " b = excluded.b WHERE t.b <> 'x'"})
  void upsertsAreRecognisedWithTheirInsertAndClause(String sql) {
    UpsertShape shape = UpsertShape.parse(sql).orElseThrow();
    assertThat(shape.insert()).isEqualTo(new InsertShape("s", "t", List.of("a", "b")));
    assertThat(shape.conflict()).startsWithIgnoringCase("on conflict").doesNotEndWith(";");
    assertThat(shape.updates()).isEqualTo(!sql.contains("nothing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO t (a, b) VALUES (?, ?)", // plain: InsertShape's
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = ?",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING a",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING; DELETE FROM t",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = $x$y$x$",
      "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO NOTHING -- comment",
      "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "INSERT INTO t (a, b) VALUES (?, now()) ON CONFLICT DO NOTHING",
      "UPDATE t SET b = ? WHERE a = ?"})
  void anythingElseIsNotAnUpsertShape(String sql) {
    assertThat(UpsertShape.parse(sql)).as(sql).isEmpty();
  }
}
