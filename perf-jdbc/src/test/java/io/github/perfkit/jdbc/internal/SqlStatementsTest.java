package io.github.perfkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.jdbc.internal.SqlStatements.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12 item 8: what Explain may analyze is decided from tokens, erring towards "changes data". */
class SqlStatementsTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      POSTGRESQL | SELECT * FROM t WHERE a = 'DELETE FROM t'       | QUERY       | SELECT     | 1
      POSTGRESQL | SELECT "delete" FROM t /* UPDATE t SET a = 1 */ | QUERY       | SELECT     | 1
      POSTGRESQL | SELECT * FROM t FOR UPDATE                       | QUERY       | SELECT     | 1
      POSTGRESQL | SELECT * FROM t FOR NO KEY UPDATE                | QUERY       | SELECT     | 1
      POSTGRESQL | (SELECT 1) UNION (SELECT 2)                      | QUERY       | SELECT     | 1
      POSTGRESQL | WITH x AS (SELECT 1) SELECT * FROM x             | QUERY       | WITH       | 1
      POSTGRESQL | WITH d AS (DELETE FROM t RETURNING *) SELECT 1   | DATA_CHANGE | WITH ... DELETE | 1
      POSTGRESQL | WITH d AS (SELECT 1) UPDATE t SET a = 2          | DATA_CHANGE | WITH ... UPDATE | 1
      POSTGRESQL | delete from t where id % 2 = 0                   | DATA_CHANGE | DELETE     | 1
      POSTGRESQL | MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE | DATA_CHANGE | MERGE | 1
      POSTGRESQL | SELECT * INTO new_table FROM t                   | OTHER       | SELECT ... INTO | 1
      POSTGRESQL | CREATE TABLE x AS SELECT 1                       | OTHER       | CREATE     | 1
      POSTGRESQL | SELECT 1;                                        | QUERY       | SELECT     | 1
      POSTGRESQL | SELECT ';' ; DELETE FROM t                       | QUERY       | SELECT     | 2
      POSTGRESQL | SELECT $$;$$ -- ; DELETE FROM t                  | QUERY       | SELECT     | 1
      MYSQL      | SELECT INSERT('abc', 1, 1, 'x'), REPLACE(a, 'x', 'y') FROM t | QUERY | SELECT | 1
      MYSQL      | REPLACE INTO t VALUES (1)                        | DATA_CHANGE | REPLACE    | 1
      MYSQL      | SELECT * FROM t INTO OUTFILE '/tmp/x'            | OTHER       | SELECT ... INTO | 1
      MYSQL      | SELECT "DELETE" # ; DELETE FROM t                | QUERY       | SELECT     | 1
      MYSQL      | /* only a comment */                             | OTHER       | empty statement | 0
      """)
  void classifiesByTokens(SqlDialect dialect, String sql, Kind kind, String keyword, int statements) {
    assertThat(SqlStatements.classify(sql, dialect))
        .isEqualTo(new SqlStatements.Classification(kind, keyword, statements));
  }
}
