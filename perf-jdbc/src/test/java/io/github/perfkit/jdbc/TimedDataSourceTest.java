package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimedDataSourceTest {

  private static void setUp(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(20))");
    }
    BatchWriter.<Long>builder(ds, "INSERT INTO " + table + " (id, name) VALUES (?, ?)",
        (ps, id) -> { ps.setLong(1, id); ps.setString(2, "n" + id); }).build()
        .write(LongStream.range(0, 1_000).boxed());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void nPlusOneAssertionCatchesTheLoopAndPassesTheChunkedInForm(String db) throws Exception {
    DataSource raw = BatchWriterTest.dataSource(db);
    String table = "pkj_nplus1_" + db;
    setUp(raw, table);
    List<String> slow = new ArrayList<>();
    TimedDataSource timed = TimedDataSource.builder(raw).slowThreshold(Duration.ZERO)
        .slowLog(slow::add).build();
    List<Long> keys = LongStream.range(0, 300).boxed().toList();

    Runnable loop = () -> {
      try (Connection c = timed.getConnection()) {
        for (long k : keys) {
          try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, k);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    assertThatThrownBy(() -> timed.assertAtMost(5, loop))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ran 300");

    List<String> names = new ArrayList<>();
    timed.assertAtMost(3, () -> names.addAll(KeyFetcher.fetch(timed, table, "id",
        List.of("name"), keys, 100, rs -> rs.getString(1))));
    assertThat(names).hasSize(300);

    assertThat(timed.recorders()).containsKey("SELECT name FROM " + table + " WHERE id = ?");
    assertThat(timed.recorders().get("SELECT name FROM " + table + " WHERE id = ?").snapshot().count())
        .isEqualTo(300);
    assertThat(timed.recorders()).containsKey("SELECT name FROM " + table + " WHERE id IN (?)");
    assertThat(slow).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("'"));
  }

  @Test
  void literalsNeverReachShapesOrTheSlowLog() throws Exception {
    DataSource raw = BatchWriterTest.dataSource("h2");
    setUp(raw, "pkj_lit");
    List<String> slow = new ArrayList<>();
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    TimedDataSource timed = TimedDataSource.builder(raw).slowThreshold(Duration.ZERO)
        .slowLog(slow::add).meterRegistry(registry).build();
    try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
      st.executeQuery("SELECT name FROM pkj_lit WHERE name = 'secret-password' AND id IN (1, 2, 3)").close();
      st.executeQuery("SELECT name FROM pkj_lit WHERE name = 'other' AND id IN (4)").close();
    }
    assertThat(timed.recorders()).containsOnlyKeys("SELECT name FROM pkj_lit WHERE name = ? AND id IN (?)");
    assertThat(String.join("\n", slow)).doesNotContain("secret").doesNotContain("other");
    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTags().toString())
        .doesNotContain("secret").doesNotContain("other"));
    assertThat(registry.get("perfkit.latency").tag("component", "jdbc").functionTimer().count()).isEqualTo(2);
  }

  @Test
  void keyFetcherRejectsNonPlainIdentifiers() {
    DataSource ds = BatchWriterTest.dataSource("h2");
    assertThatThrownBy(() -> KeyFetcher.fetch(ds, "t; DROP TABLE x", "id", List.of("a"), List.of(1), 10, rs -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table must be a plain");
    assertThatThrownBy(() -> KeyFetcher.fetch(ds, "t", "id", List.of("a"), List.of(1), 0, rs -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("chunkSize must be > 0 but was 0");
  }
}
