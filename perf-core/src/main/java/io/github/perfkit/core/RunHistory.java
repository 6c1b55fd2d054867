package io.github.perfkit.core;

import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.JsonReader;
import io.github.perfkit.core.internal.Require;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runs of a benchmark over time, oldest first, as CI appends them: one JSON line per run, so
 * {@link RegressionCheck#changes()} can find the run where a measurement moved instead of
 * comparing two points. Immutable and thread-safe.
 *
 * <pre>{@code
 * RunHistory.append(Path.of("perf/runs.jsonl"), System.getenv("GITHUB_SHA"), Baseline.of(comparison));
 * HistoryReport r = RegressionCheck.against(RunHistory.load(Path.of("perf/runs.jsonl"))).changes();
 * }</pre>
 *
 * <h2>Line format, schema {@code perfkit.run/1}</h2>
 * One JSON object per line; blank lines are skipped:
 * <pre>
 * {"run": string (commit or CI run id), "created": ISO-8601 instant, "jvm": string,
 *  "measurements": [ same objects as a {@link Baseline} file's "measurements" ]}
 * </pre>
 * A whole {@link Baseline} file with a {@code "run"} field added is a valid line. Reading costs one
 * pass over the file; the runs are held in memory.
 */
public final class RunHistory {

  /**
   * One run: its id and what it measured.
   *
   * @param id the commit or CI run id, not blank
   * @param baseline the run's measurements
   */
  public record Run(String id, Baseline baseline) {
    /** Validates. */
    public Run {
      Require.notBlank(id, "id");
      Require.notNull(baseline, "baseline");
    }
  }

  private final List<Run> runs;

  private RunHistory(List<Run> runs) {
    this.runs = List.copyOf(runs);
  }

  /**
   * @param runs oldest first
   * @return the history
   */
  public static RunHistory of(List<Run> runs) {
    Require.notNull(runs, "runs");
    for (int i = 0; i < runs.size(); i++) {
      Require.notNull(runs.get(i), "runs[" + i + "]");
    }
    return new RunHistory(runs);
  }

  /** @return the runs, oldest first */
  public List<Run> runs() {
    return runs;
  }

  /**
   * @param run the commit or CI run id
   * @param baseline what the run measured
   * @return its line, without the line break
   */
  public static String line(String run, Baseline baseline) {
    Require.notBlank(run, "run");
    Require.notNull(baseline, "baseline");
    Json json = new Json().beginObject().field("schema", "perfkit.run/1").field("run", run)
        .field("created", baseline.created().toString()).field("jvm", baseline.jvm());
    Baseline.writeMeasurements(json, baseline.measurements());
    return json.endObject().toString();
  }

  /**
   * Appends one run's line to a history file, creating it and its parent directories.
   *
   * @param file the history
   * @param run the commit or CI run id
   * @param baseline what the run measured
   * @return the file
   * @throws IOException if it cannot be written
   */
  public static Path append(Path file, String run, Baseline baseline) throws IOException {
    Require.notNull(file, "file");
    String line = line(run, baseline) + "\n";
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * @param file a history file
   * @return its runs
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if a line is not a run; the message names the file and line
   */
  public static RunHistory load(Path file) throws IOException {
    Require.notNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param jsonLines one run per line
   * @return the runs
   * @throws IllegalArgumentException if a line is not a run; the message names the line
   */
  public static RunHistory parse(String jsonLines) {
    Require.notNull(jsonLines, "jsonLines");
    List<Run> runs = new ArrayList<>();
    String[] lines = jsonLines.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        if (!(JsonReader.parse(lines[i]) instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException("not a JSON object");
        }
        if (!(map.get("run") instanceof String id) || id.isBlank()) {
          throw new IllegalArgumentException("field \"run\" must be a non-blank string");
        }
        Object created = map.get("created");
        runs.add(new Run(id, Baseline.read(Baseline.measurementsOf(map),
            map.get("jvm") instanceof String s ? s : "unknown",
            created instanceof String s ? Instant.parse(s) : Instant.EPOCH)));
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return new RunHistory(runs);
  }
}
