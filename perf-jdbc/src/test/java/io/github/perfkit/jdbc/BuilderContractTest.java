package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.LatencyRecorder;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder contract (issue 14 item 2) for every builder in perf-jdbc: {@link BatchWriter.Builder},
 * {@link StreamingQuery.Builder}, {@link TimedDataSource.Builder} ({@link KeyFetcher} and
 * {@link Explain} are static calls, with no builder). Each setting once; argument errors from the
 * setter, naming the parameter and the value; {@code build()} copies. None of these builders has a
 * rule across settings, so every combination builds (checked below).
 */
class BuilderContractTest {

  static final DataSource H2 = BatchWriterTest.dataSource("h2");

  static BatchWriter.Builder<Long> writer() {
    return BatchWriter.<Long>builder(H2, "INSERT INTO pkj_contract (id) VALUES (?)",
        (ps, id) -> ps.setLong(1, id));
  }

  static StreamingQuery.Builder<Long> query() {
    return StreamingQuery.builder(H2, "SELECT 1", rs -> rs.getLong(1));
  }

  static TimedDataSource.Builder timed() {
    return TimedDataSource.builder(H2);
  }

  /** builder, setting, a call of that setter on a fresh builder of that kind. */
  static Stream<Arguments> settings() {
    return Stream.of(
        setting("BatchWriter", "chunkSize", () -> writer(), b -> b.chunkSize(10)),
        setting("BatchWriter", "commitPerChunk", () -> writer(), b -> b.commitPerChunk(true)),
        setting("BatchWriter", "bulkPaths", () -> writer(), b -> b.bulkPaths(false)),
        setting("BatchWriter", "binaryCopy", () -> writer(), b -> b.binaryCopy(false)),
        setting("BatchWriter", "recorder", () -> writer(),
            b -> b.recorder(LatencyRecorder.create("w"))),
        setting("BatchWriter", "ticker", () -> writer(), b -> b.ticker(System::nanoTime)),
        setting("StreamingQuery", "fetchSize", () -> query(), b -> b.fetchSize(10)),
        setting("StreamingQuery", "recorder", () -> query(),
            b -> b.recorder(LatencyRecorder.create("q"))),
        setting("StreamingQuery", "ticker", () -> query(), b -> b.ticker(System::nanoTime)),
        setting("TimedDataSource", "slowThreshold", () -> timed(),
            b -> b.slowThreshold(Duration.ofMillis(5))),
        setting("TimedDataSource", "slowLog", () -> timed(), b -> b.slowLog(line -> { })),
        setting("TimedDataSource", "name", () -> timed(), b -> b.name("orders")),
        setting("TimedDataSource", "maxShapes", () -> timed(), b -> b.maxShapes(10)),
        setting("TimedDataSource", "ticker", () -> timed(), b -> b.ticker(System::nanoTime)));
  }

  private static <B> Arguments setting(String builder, String name,
      java.util.function.Supplier<B> fresh, Consumer<B> set) {
    return Arguments.of(builder, name, (Runnable) () -> {
      B b = fresh.get();
      set.accept(b);
      set.accept(b);
    });
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("settings")
  void aSecondCallToTheSameSetterIsRefusedNamingTheSetting(String builder, String setting,
      Runnable setTwice) {
    assertThatThrownBy(setTwice::run)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(setting + " was already set on this builder (each setting may be set once)");
  }

  /** builder, the call, the exception type, its exact message. */
  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad("BatchWriter.builder dataSource", () -> BatchWriter.builder(null, "x", (ps, r) -> { }),
            NullPointerException.class, "dataSource must not be null"),
        bad("BatchWriter.builder sql", () -> BatchWriter.builder(H2, " ", (ps, r) -> { }),
            IllegalArgumentException.class, "sql must not be blank"),
        bad("BatchWriter.builder binder", () -> BatchWriter.builder(H2, "x", null),
            NullPointerException.class, "binder must not be null"),
        bad("BatchWriter.chunkSize", () -> writer().chunkSize(-3),
            IllegalArgumentException.class, "chunkSize must be positive but was -3"),
        bad("BatchWriter.recorder", () -> writer().recorder(null),
            NullPointerException.class, "recorder must not be null"),
        bad("BatchWriter.ticker", () -> writer().ticker(null),
            NullPointerException.class, "ticker must not be null"),
        bad("StreamingQuery.builder dataSource", () -> StreamingQuery.builder(null, "x", rs -> 1),
            NullPointerException.class, "dataSource must not be null"),
        bad("StreamingQuery.builder sql", () -> StreamingQuery.builder(H2, "", rs -> 1),
            IllegalArgumentException.class, "sql must not be blank"),
        bad("StreamingQuery.builder mapper", () -> StreamingQuery.builder(H2, "x", null),
            NullPointerException.class, "mapper must not be null"),
        bad("StreamingQuery.fetchSize", () -> query().fetchSize(0),
            IllegalArgumentException.class, "fetchSize must be positive but was 0"),
        bad("StreamingQuery.recorder", () -> query().recorder(null),
            NullPointerException.class, "recorder must not be null"),
        bad("StreamingQuery.ticker", () -> query().ticker(null),
            NullPointerException.class, "ticker must not be null"),
        bad("TimedDataSource.builder delegate", () -> TimedDataSource.builder(null),
            NullPointerException.class, "delegate must not be null"),
        bad("TimedDataSource.slowThreshold", () -> timed().slowThreshold(Duration.ofMillis(-1)),
            IllegalArgumentException.class, "slowThreshold must not be negative but was PT-0.001S"),
        bad("TimedDataSource.slowThreshold null", () -> timed().slowThreshold(null),
            NullPointerException.class, "slowThreshold must not be null"),
        bad("TimedDataSource.slowLog", () -> timed().slowLog(null),
            NullPointerException.class, "slowLog must not be null"),
        bad("TimedDataSource.name", () -> timed().name(" "),
            IllegalArgumentException.class, "name must not be blank"),
        bad("TimedDataSource.maxShapes", () -> timed().maxShapes(0),
            IllegalArgumentException.class, "maxShapes must be positive but was 0"),
        bad("TimedDataSource.ticker", () -> timed().ticker(null),
            NullPointerException.class, "ticker must not be null"));
  }

  private static Arguments bad(String what, Runnable call, Class<? extends Exception> type,
      String message) {
    return Arguments.of(what, call, type, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void aBadArgumentIsRefusedByTheSetterNamingTheParameterAndTheValue(String what, Runnable call,
      Class<? extends Exception> type, String message) {
    assertThatThrownBy(call::run).isExactlyInstanceOf(type).hasMessage(message);
  }

  @Test
  void aRefusedArgumentLeavesTheSettingFreeToBeMade() throws Exception {
    BatchWriter.Builder<Long> w = writer();
    assertThatThrownBy(() -> w.chunkSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> w.chunkSize(5)).doesNotThrowAnyException();
    StreamingQuery.Builder<Long> q = query();
    assertThatThrownBy(() -> q.fetchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(q.fetchSize(5).build().fetchSize()).isEqualTo(5);
    TimedDataSource.Builder t = timed();
    assertThatThrownBy(() -> t.maxShapes(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.maxShapes(4).build().maxShapes()).isEqualTo(4);
  }

  @Test
  void aSecondCallIsRefusedBeforeItChangesAnything() {
    StreamingQuery.Builder<Long> q = query().fetchSize(5);
    assertThatThrownBy(() -> q.fetchSize(9)).isInstanceOf(IllegalStateException.class);
    assertThat(q.build().fetchSize()).isEqualTo(5);
  }

  @Test
  void noRuleSpansSettingsSoEveryCombinationBuilds() {
    for (boolean perChunk : new boolean[] {false, true}) {
      for (boolean bulk : new boolean[] {false, true}) {
        assertThatCode(() -> writer().chunkSize(1).commitPerChunk(perChunk).bulkPaths(bulk)
            .recorder(LatencyRecorder.create("w")).ticker(System::nanoTime).build())
            .doesNotThrowAnyException();
      }
    }
    assertThatCode(() -> query().fetchSize(1).recorder(LatencyRecorder.create("q"))
        .ticker(System::nanoTime).build()).doesNotThrowAnyException();
    assertThatCode(() -> timed().slowThreshold(Duration.ZERO).slowLog(l -> { }).name("n")
        .maxShapes(1).ticker(System::nanoTime).build()).doesNotThrowAnyException();
  }

  @Test
  void batchWriterBuildCopiesSoReusingTheBuilderNeverChangesAWriterBuiltBefore() throws Exception {
    try (Connection c = H2.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pkj_contract");
      st.execute("CREATE TABLE pkj_contract (id BIGINT)");
      BatchWriter.Builder<Long> b = writer();
      BatchWriter<Long> first = b.build();
      BatchWriter<Long> second = b.build();
      b.chunkSize(2); // a setting made after both were built
      BatchWriter<Long> third = b.build();
      assertThat(first).isNotSameAs(second);
      assertThat(first.recorder()).isNotSameAs(second.recorder());
      assertThat(first.write(LongStream.range(0, 10).boxed()).chunks()).isEqualTo(1);
      assertThat(second.write(LongStream.range(0, 10).boxed()).chunks()).isEqualTo(1);
      assertThat(third.write(LongStream.range(0, 10).boxed()).chunks()).isEqualTo(5);
      assertThat(first.recorder().snapshot().count()).isEqualTo(1);
      assertThat(second.recorder().snapshot().count()).isEqualTo(1);
      st.execute("DROP TABLE pkj_contract");
    }
  }

  @Test
  void streamingQueryBuildCopiesSoReusingTheBuilderNeverChangesAQueryBuiltBefore() {
    StreamingQuery.Builder<Long> b = query();
    StreamingQuery<Long> first = b.build();
    StreamingQuery<Long> second = b.build();
    b.fetchSize(7);
    StreamingQuery<Long> third = b.build();
    assertThat(first).isNotSameAs(second);
    assertThat(first.recorder()).isNotSameAs(second.recorder());
    assertThat(first.fetchSize()).isEqualTo(1_000);
    assertThat(second.fetchSize()).isEqualTo(1_000);
    assertThat(third.fetchSize()).isEqualTo(7);
  }

  @Test
  void timedDataSourceBuildCopiesSoReusingTheBuilderNeverChangesADataSourceBuiltBefore() {
    TimedDataSource.Builder b = timed().name("orders");
    TimedDataSource first = b.build();
    TimedDataSource second = b.build();
    b.maxShapes(3);
    TimedDataSource third = b.build();
    assertThat(first).isNotSameAs(second);
    assertThat(first.recorders()).isNotSameAs(second.recorders());
    assertThat(first.maxShapes()).isEqualTo(TimedDataSource.DEFAULT_MAX_SHAPES);
    assertThat(second.maxShapes()).isEqualTo(TimedDataSource.DEFAULT_MAX_SHAPES);
    assertThat(third.maxShapes()).isEqualTo(3);
    assertThat(List.of(first.name(), second.name(), third.name())).containsOnly("orders");
  }
}
