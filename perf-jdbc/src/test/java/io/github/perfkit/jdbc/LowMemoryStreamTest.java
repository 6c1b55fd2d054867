package io.github.perfkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Forks a JVM with -Xmx32m on the same classpath: streaming 1M rows completes, reading to a list fails. */
class LowMemoryStreamTest {

  static final String SQL = "SELECT g, 'row-' || g || '-padding-padding-padding' FROM generate_series(1, 1000000) g";

  /**
   * Child entry point.
   *
   * @param args mode (stream|list), url, user, password
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    var ds = new BatchWriterTest.UrlDataSource(args[1], args[2], args.length > 3 ? args[3] : "");
    if (mode.equals("stream")) {
      long[] n = {0};
      try (Stream<String> s = StreamingQuery.<String>builder(ds, SQL, rs -> rs.getString(2)).build().stream()) {
        s.forEach(v -> n[0]++);
      }
      System.out.println("ROWS " + n[0]);
    } else {
      List<String> all = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(args[1], args[2], args.length > 3 ? args[3] : "");
          Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SQL)) {
        while (rs.next()) {
          all.add(rs.getString(2));
        }
      }
      System.out.println("ROWS " + all.size());
    }
  }

  private static Result child(String mode) throws Exception {
    var pg = LoopbackServices.postgres();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        LowMemoryStreamTest.class.getName(), mode, pg.jdbcUrl(), pg.user()));
    if (pg.password() != null) {
      cmd.add(pg.password());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String output) {}

  @Test
  void millionRowStreamCompletesUnderXmx32mWhereReadingIntoAListFails() throws Exception {
    Result stream = child("stream");
    assertThat(stream.exit()).as(stream.output()).isZero();
    assertThat(stream.output()).contains("ROWS 1000000");
    Result list = child("list");
    assertThat(list.exit()).as(list.output()).isNotZero();
    assertThat(list.output()).contains("OutOfMemoryError");
  }
}
