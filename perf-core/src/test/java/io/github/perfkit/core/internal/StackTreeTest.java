package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackTreeTest {

  @Test
  void outermostMatchingFramesCountEachSampleOnceByFrameAndCaller() {
    StackTree tree = new StackTree();
    // leaf first, as JFR gives them
    tree.add(List.of("Driver.execute", "Driver.executeUpdate", "App.store", "App.main"));
    tree.add(List.of("Driver.executeUpdate", "App.store", "App.main"));
    tree.add(List.of("Driver.executeQuery", "App.load", "App.main"));
    tree.add(List.of("App.compute", "App.main"));
    tree.add(List.of("Driver.executeInternal", "Driver.executeBatch", "App.bulk", "App.main"));
    StackTree.Calls calls = tree.outermost(f -> f.startsWith("Driver.execute"),
        f -> f.equals("Driver.executeBatch")); // nothing under a batch counts
    assertThat(calls.samples()).isEqualTo(3);
    assertThat(calls.byFrame()).containsOnly(
        org.assertj.core.api.Assertions.entry("Driver.executeUpdate", 2L),
        org.assertj.core.api.Assertions.entry("Driver.executeQuery", 1L));
    assertThat(calls.byCaller()).containsOnly(
        org.assertj.core.api.Assertions.entry("App.store", 2L),
        org.assertj.core.api.Assertions.entry("App.load", 1L));
    assertThat(tree.outermost(f -> false, f -> false).samples()).isZero();
  }

  @Test
  void jdbcFramesAreStatementExecutionsOfAnyDriver() {
    JdbcFrames frames = new JdbcFrames();
    assertThat(frames.test("org.h2.jdbc.JdbcPreparedStatement.executeUpdate")).isTrue();
    assertThat(frames.test("org.h2.jdbc.JdbcStatement.executeQuery")).isTrue();
    assertThat(frames.test("org.h2.jdbc.JdbcPreparedStatement.setLong")).isFalse();
    assertThat(frames.test("org.h2.jdbc.JdbcConnection.execute")).isFalse(); // not a Statement
    assertThat(frames.test("java.util.concurrent.Executor.execute")).isFalse();
    assertThat(frames.test("no.such.Driver.execute")).isFalse();
    assertThat(frames.test("execute")).isFalse();
    assertThat(frames.batch().test("org.h2.jdbc.JdbcPreparedStatement.executeBatch")).isTrue();
    assertThat(frames.batch().test("org.h2.jdbc.JdbcStatement.executeLargeBatch")).isTrue();
    assertThat(frames.batch().test("org.h2.jdbc.JdbcPreparedStatement.executeUpdate")).isFalse();
    assertThat(frames.batch().test("java.util.concurrent.Executor.executeBatch")).isFalse();
  }
}
