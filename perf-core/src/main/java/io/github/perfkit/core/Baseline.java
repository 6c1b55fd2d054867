package io.github.perfkit.core;

import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Named measurements saved as a JSON file, so a later run can be checked against them with
 * {@link RegressionCheck}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Baseline.of(comparison).save(Path.of("perf/baseline.json"));       // once, and after a wanted change
 * RegressionReport r = RegressionCheck.against(Baseline.load(Path.of("perf/baseline.json")))
 *     .check(Baseline.of(Compare.named("parse")...run()));
 * }</pre>
 *
 * <p>{@link #load(Path)} also reads JMH's result files ({@code -rf json}): each benchmark (with its
 * parameters) becomes a measurement whose samples are its iteration scores, so JMH runs get the
 * regression check JMH itself does not have.
 *
 * <h2>File format, schema {@code perfkit.baseline/1}</h2>
 * <pre>
 * { "schema": "perfkit.baseline/1", "created": ISO-8601 instant, "jvm": string,
 *   "measurements": [ { "name": string, "unit": string, "higherIsBetter": boolean,
 *                       "score": number, "scoreError": number or null, "samples": [number] } ] }
 * </pre>
 * {@code score} is the median of {@code samples} (or JMH's score); {@code scoreError} the half-width
 * of a confidence interval when the source gave one (JMH's 99.9% interval).
 */
public final class Baseline {

  /**
   * One measurement: its samples and how to read them. Immutable.
   *
   * @param name unique in a baseline, e.g. {@code parse/hand-written}
   * @param unit e.g. {@code ns/call}, {@code ops/s}
   * @param higherIsBetter true for throughput, false for times
   * @param score the median of the samples, or the source's score
   * @param scoreError the half-width of the source's confidence interval, or NaN
   * @param samples the individual measurements (may be empty when only a score is known)
   */
  public record Measurement(String name, String unit, boolean higherIsBetter, double score,
      double scoreError, List<Double> samples) {

    /** Validates and copies. */
    public Measurement {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(unit, "unit");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      samples = List.copyOf(samples);
      if (Double.isNaN(score) || score < 0) {
        throw new IllegalArgumentException("score must be >= 0 but was " + score + " for " + name);
      }
    }

    /**
     * A measurement from samples; its score is their median.
     *
     * @param name the name
     * @param unit the unit
     * @param higherIsBetter the direction
     * @param samples at least one value, none negative or NaN
     * @return the measurement
     */
    public static Measurement ofSamples(String name, String unit, boolean higherIsBetter,
        double... samples) {
      Objects.requireNonNull(samples, "samples");
      if (samples.length == 0) {
        throw new IllegalArgumentException("samples must not be empty for " + name);
      }
      List<Double> list = new ArrayList<>(samples.length);
      for (double v : samples) {
        if (Double.isNaN(v) || v < 0) {
          throw new IllegalArgumentException("samples must be >= 0 but one was " + v);
        }
        list.add(v);
      }
      double[] sorted = samples.clone();
      Arrays.sort(sorted);
      return new Measurement(name, unit, higherIsBetter, median(sorted), Double.NaN, list);
    }

    /** @return the samples as an array */
    public double[] sampleArray() {
      return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  private final Map<String, Measurement> measurements;
  private final String jvm;
  private final Instant created;

  private Baseline(Map<String, Measurement> measurements, String jvm, Instant created) {
    this.measurements = Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    this.jvm = jvm;
    this.created = created;
  }

  /**
   * @param measurements the measurements, names unique
   * @return a baseline of this JVM, now
   */
  public static Baseline of(Collection<Measurement> measurements) {
    Objects.requireNonNull(measurements, "measurements");
    Map<String, Measurement> map = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      if (map.put(m.name(), m) != null) {
        throw new IllegalArgumentException("measurement '" + m.name() + "' appears twice");
      }
    }
    return new Baseline(map, Runtime.version().toString(), Instant.now());
  }

  /**
   * Each approach of each comparison as a measurement named {@code comparison/approach}, in
   * nanoseconds per call, with its samples.
   *
   * @param comparisons what {@link Compare} measured
   * @return the baseline
   */
  public static Baseline of(Comparison... comparisons) {
    Objects.requireNonNull(comparisons, "comparisons");
    List<Measurement> list = new ArrayList<>();
    for (Comparison c : comparisons) {
      for (Comparison.Result r : c.results()) {
        list.add(Measurement.ofSamples(c.name() + "/" + r.name(), "ns/call", false,
            r.sampleNanos().stream().mapToDouble(Double::doubleValue).toArray()));
      }
    }
    return of(list);
  }

  /** @return the measurements in file order */
  public Collection<Measurement> measurements() {
    return measurements.values();
  }

  /**
   * @param name a measurement's name
   * @return it, if present
   */
  public Optional<Measurement> get(String name) {
    return Optional.ofNullable(measurements.get(Objects.requireNonNull(name, "name")));
  }

  /** @return the Java version that measured it ({@code Runtime.version()}), or "unknown" */
  public String jvm() {
    return jvm;
  }

  /** @return when it was measured */
  public Instant created() {
    return created;
  }

  /** @return the baseline as JSON, schema {@code perfkit.baseline/1} */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.baseline/1")
        .field("created", created.toString()).field("jvm", jvm).beginArray("measurements");
    for (Measurement m : measurements.values()) {
      json.beginObject().field("name", m.name()).field("unit", m.unit())
          .field("higherIsBetter", m.higherIsBetter()).field("score", m.score())
          .field("scoreError", m.scoreError()).beginArray("samples");
      for (double v : m.samples()) {
        json.rawElement(Double.toString(v));
      }
      json.endArray().endObject();
    }
    return json.endArray().endObject().toString() + "\n";
  }

  /**
   * Writes {@link #json()}, creating parent directories.
   *
   * @param file the target, replaced if it exists
   * @return the file
   * @throws IOException if it cannot be written
   */
  public Path save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.writeString(file, json(), StandardCharsets.UTF_8);
  }

  /**
   * Reads a perfkit baseline or a JMH result file ({@code -rf json}).
   *
   * @param file the file
   * @return the baseline
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is neither format; the message names the file
   */
  public static Baseline load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a perfkit baseline or JMH result JSON.
   *
   * @param json the document
   * @return the baseline
   * @throws IllegalArgumentException if it is neither format
   */
  public static Baseline parse(String json) {
    Objects.requireNonNull(json, "json");
    Object doc = JsonReader.parse(json);
    if (doc instanceof List<?> list) {
      return fromJmh(list);
    }
    if (doc instanceof Map<?, ?> map && "perfkit.baseline/1".equals(map.get("schema"))) {
      Map<String, Measurement> out = new LinkedHashMap<>();
      for (Object o : list(map, "measurements")) {
        Map<?, ?> m = (Map<?, ?>) o;
        Measurement measurement = new Measurement(string(m, "name"), string(m, "unit"),
            Boolean.TRUE.equals(m.get("higherIsBetter")), number(m.get("score")),
            number(m.get("scoreError")), doubles(list(m, "samples")));
        out.put(measurement.name(), measurement);
      }
      Object created = map.get("created");
      return new Baseline(out, map.get("jvm") instanceof String s ? s : "unknown",
          created instanceof String s ? Instant.parse(s) : Instant.EPOCH);
    }
    throw new IllegalArgumentException("neither a perfkit baseline (schema perfkit.baseline/1)"
        + " nor a JMH result file (a JSON array of benchmarks)");
  }

  private static Baseline fromJmh(List<?> runs) {
    Map<String, Measurement> out = new LinkedHashMap<>();
    String jvm = "unknown";
    for (Object o : runs) {
      if (!(o instanceof Map<?, ?> run) || !(run.get("benchmark") instanceof String)) {
        throw new IllegalArgumentException("a JMH result entry has no \"benchmark\" field");
      }
      StringBuilder name = new StringBuilder((String) run.get("benchmark"));
      if (run.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
        name.append(params.toString().replace(", ", ","));
      }
      if (run.get("jdkVersion") instanceof String v) {
        jvm = v;
      }
      Map<?, ?> metric = (Map<?, ?>) run.get("primaryMetric");
      if (metric == null) {
        throw new IllegalArgumentException(name + " has no primaryMetric");
      }
      List<Double> samples = new ArrayList<>();
      if (metric.get("rawData") instanceof List<?> forks) {
        for (Object fork : forks) {
          samples.addAll(doubles((List<?>) fork));
        }
      }
      boolean higher = "thrpt".equals(run.get("mode"));
      out.put(name.toString(), new Measurement(name.toString(), string(metric, "scoreUnit"), higher,
          number(metric.get("score")), number(metric.get("scoreError")), samples));
    }
    return new Baseline(out, jvm, Instant.EPOCH);
  }

  private static List<?> list(Map<?, ?> map, String key) {
    if (map.get(key) instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("field \"" + key + "\" must be an array");
  }

  private static String string(Map<?, ?> map, String key) {
    if (map.get(key) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("field \"" + key + "\" must be a string");
  }

  /** Numbers, and JMH's "NaN" strings; null is NaN. */
  private static double number(Object o) {
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: " + s);
      }
    }
    if (o == null) {
      return Double.NaN;
    }
    throw new IllegalArgumentException("not a number: " + o);
  }

  private static List<Double> doubles(List<?> values) {
    List<Double> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(number(v));
    }
    return out;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Override
  public String toString() {
    return "Baseline[" + measurements.size() + " measurements, " + jvm + ", " + created + "]";
  }
}
