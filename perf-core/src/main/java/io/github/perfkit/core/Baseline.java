package io.github.perfkit.core;

import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.JsonReader;
import io.github.perfkit.core.internal.Stats;
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
 *     .check(Baseline.of(Compare.named("parse")...build().run()));
 * }</pre>
 *
 * <p>{@link #load(Path)} also reads JMH's result files ({@code -rf json}): each benchmark (with its
 * parameters) becomes a measurement whose samples are its iteration scores (and, with two forks or
 * more, whose block medians are the forks' medians: the spread between JVMs), so JMH runs get the
 * regression check JMH itself does not have.
 *
 * <h2>File format, schema {@code perfkit.baseline/2}</h2>
 * <pre>
 * { "schema": "perfkit.baseline/2", "created": ISO-8601 instant, "jvm": string,
 *   "measurements": [ { "name": string, "unit": string, "higherIsBetter": boolean,
 *                       "score": number, "scoreError": number or null, "samples": [number],
 *                       "blockMedians": [number], "calibratedRatios": [number],
 *                       "jvmRatios": [number] } ] }
 * </pre>
 * {@code score} is the median of {@code samples} (or JMH's score); {@code scoreError} the half-width
 * of a confidence interval when the source gave one (JMH's 99.9% interval). {@code blockMedians}
 * are the medians of {@value #BLOCKS} consecutive blocks of the samples, from which
 * {@link RegressionCheck} reads how much one stretch of a run differs from the next (the
 * run-to-run spread); {@code calibratedRatios} are the times of a section divided by the time of a
 * fixed CPU loop measured interleaved with it in the same JVM (perf-junit records them, so a
 * machine that got slower as a whole is not read as a regression); {@code jvmRatios} are, for each
 * JVM that recorded the entry (the recording JVM and the fresh JVMs perf-junit starts), the median
 * of its calibrated block medians: the JIT compiles the same code into faster or slower machine code
 * from one JVM to the next (5-16% apart on a 2-core VM), which no measurement inside one JVM sees,
 * so a check is judged against their median. Optional; absent, the entry was recorded in one JVM.
 * Schema
 * {@code perfkit.baseline/1} files (without these two fields) still load: their spread is unknown
 * and the check says so.
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
   * @param blockMedians the medians of consecutive blocks of the samples (empty: unknown, as in
   *     schema 1 files and JMH results)
   * @param calibratedRatios each time divided by the time of perfkit's calibration loop measured
   *     next to it (empty: not calibrated)
   * @param jvmRatios per JVM that recorded the entry, the median of its calibrated block medians
   *     (empty: recorded in one JVM, or not calibrated)
   */
  public record Measurement(String name, String unit, boolean higherIsBetter, double score,
      double scoreError, List<Double> samples, List<Double> blockMedians,
      List<Double> calibratedRatios, List<Double> jvmRatios) {

    /** Validates and copies. */
    public Measurement {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(unit, "unit");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      samples = List.copyOf(samples);
      blockMedians = List.copyOf(Objects.requireNonNull(blockMedians, "blockMedians"));
      calibratedRatios = List.copyOf(Objects.requireNonNull(calibratedRatios,
          "calibratedRatios"));
      jvmRatios = List.copyOf(Objects.requireNonNull(jvmRatios, "jvmRatios"));
      for (double r : jvmRatios) {
        if (!(r > 0) || Double.isInfinite(r)) {
          throw new IllegalArgumentException("jvmRatios must be finite and > 0 but one was " + r);
        }
      }
      if (Double.isNaN(score) || score < 0) {
        throw new IllegalArgumentException("score must be >= 0 but was " + score + " for " + name);
      }
    }

    /**
     * A measurement without block medians or calibration (the constructor of schema 1).
     *
     * @param name the name
     * @param unit the unit
     * @param higherIsBetter the direction
     * @param score the score
     * @param scoreError the source's error, or NaN
     * @param samples the samples
     */
    public Measurement(String name, String unit, boolean higherIsBetter, double score,
        double scoreError, List<Double> samples) {
      this(name, unit, higherIsBetter, score, scoreError, samples, List.of(), List.of(), List.of());
    }

    /**
     * A measurement recorded in one JVM (schema 2 without {@code jvmRatios}).
     *
     * @param name the name
     * @param unit the unit
     * @param higherIsBetter the direction
     * @param score the score
     * @param scoreError the source's error, or NaN
     * @param samples the samples
     * @param blockMedians the block medians
     * @param calibratedRatios the calibrated ratios
     */
    public Measurement(String name, String unit, boolean higherIsBetter, double score,
        double scoreError, List<Double> samples, List<Double> blockMedians,
        List<Double> calibratedRatios) {
      this(name, unit, higherIsBetter, score, scoreError, samples, blockMedians, calibratedRatios,
          List.of());
    }

    /**
     * @param ratios per JVM that recorded this entry, the median of its calibrated block medians,
     *     each finite and {@code > 0}
     * @return this measurement with them
     */
    public Measurement withJvmRatios(List<Double> ratios) {
      return new Measurement(name, unit, higherIsBetter, score, scoreError, samples, blockMedians,
          calibratedRatios, Objects.requireNonNull(ratios, "ratios"));
    }

    /** @return the per-JVM ratios as an array */
    public double[] jvmRatioArray() {
      return jvmRatios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param ratios the calibrated ratios, each {@code > 0}
     * @return this measurement with them
     */
    public Measurement withCalibratedRatios(double... ratios) {
      Objects.requireNonNull(ratios, "ratios");
      List<Double> list = new ArrayList<>(ratios.length);
      for (double r : ratios) {
        if (!(r > 0) || Double.isInfinite(r)) {
          throw new IllegalArgumentException("ratios must be finite and > 0 but one was " + r);
        }
        list.add(r);
      }
      return new Measurement(name, unit, higherIsBetter, score, scoreError, samples, blockMedians,
          list, jvmRatios);
    }

    /** @return the calibrated ratios as an array */
    public double[] calibratedRatioArray() {
      return calibratedRatios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** @return the block medians as an array */
    public double[] blockMedianArray() {
      return blockMedians.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * A measurement from samples; its score is their median, and with at least
     * {@value Baseline#MIN_SAMPLES_FOR_BLOCKS} samples its block medians are those of
     * {@value Baseline#BLOCKS} consecutive blocks (sizes differing by at most one).
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
        if (!Double.isFinite(v) || v < 0) {
          throw new IllegalArgumentException("samples must be finite and >= 0 but one was " + v);
        }
        list.add(v);
      }
      double[] sorted = samples.clone();
      Arrays.sort(sorted);
      return new Measurement(name, unit, higherIsBetter, median(sorted), Double.NaN, list,
          Baseline.blockMedians(samples), List.of());
    }

    /** @return the samples as an array */
    public double[] sampleArray() {
      return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /** Blocks whose medians a measurement keeps. */
  public static final int BLOCKS = 5;
  /** The fewest samples for block medians (two per block). */
  public static final int MIN_SAMPLES_FOR_BLOCKS = 2 * BLOCKS;

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
    int index = 0;
    for (Measurement m : measurements) {
      Objects.requireNonNull(m, "measurements[" + index++ + "]");
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
    for (int i = 0; i < comparisons.length; i++) {
      Comparison c = Objects.requireNonNull(comparisons[i], "comparisons[" + i + "]");
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

  /** @return the baseline as JSON, schema {@code perfkit.baseline/2} */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.baseline/2")
        .field("created", created.toString()).field("jvm", jvm);
    writeMeasurements(json, measurements.values());
    return json.endObject().toString() + "\n";
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
    if (doc instanceof Map<?, ?> map && ("perfkit.baseline/1".equals(map.get("schema"))
        || "perfkit.baseline/2".equals(map.get("schema")))) {
      Map<String, Measurement> out = measurementsOf(map);
      Object created = map.get("created");
      return new Baseline(out, map.get("jvm") instanceof String s ? s : "unknown",
          created instanceof String s ? Instant.parse(s) : Instant.EPOCH);
    }
    throw new IllegalArgumentException("neither a perfkit baseline (schema perfkit.baseline/1 or"
        + " /2) nor a JMH result file (a JSON array of benchmarks)");
  }

  /** The {@code measurements} array of a baseline or a history line. */
  static Map<String, Measurement> measurementsOf(Map<?, ?> map) {
    Map<String, Measurement> out = new LinkedHashMap<>();
    for (Object o : list(map, "measurements")) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("a measurement must be an object");
      }
      Measurement measurement = new Measurement(string(m, "name"), string(m, "unit"),
          Boolean.TRUE.equals(m.get("higherIsBetter")), number(m.get("score")),
          number(m.get("scoreError")), doubles(list(m, "samples")),
          m.containsKey("blockMedians") ? doubles(list(m, "blockMedians")) : List.of(),
          m.containsKey("calibratedRatios") ? doubles(list(m, "calibratedRatios")) : List.of(),
          m.containsKey("jvmRatios") ? doubles(list(m, "jvmRatios")) : List.of());
      out.put(measurement.name(), measurement);
    }
    return out;
  }

  /** Writes the {@code measurements} array into an open object. */
  static void writeMeasurements(Json json, Collection<Measurement> measurements) {
    json.beginArray("measurements");
    for (Measurement m : measurements) {
      json.beginObject().field("name", m.name()).field("unit", m.unit())
          .field("higherIsBetter", m.higherIsBetter()).field("score", m.score())
          .field("scoreError", m.scoreError()).beginArray("samples");
      for (double v : m.samples()) {
        json.rawElement(Double.toString(v));
      }
      json.endArray();
      if (!m.blockMedians().isEmpty()) {
        json.beginArray("blockMedians");
        m.blockMedians().forEach(v -> json.rawElement(Double.toString(v)));
        json.endArray();
      }
      if (!m.calibratedRatios().isEmpty()) {
        json.beginArray("calibratedRatios");
        m.calibratedRatios().forEach(v -> json.rawElement(Double.toString(v)));
        json.endArray();
      }
      if (!m.jvmRatios().isEmpty()) {
        json.beginArray("jvmRatios");
        m.jvmRatios().forEach(v -> json.rawElement(Double.toString(v)));
        json.endArray();
      }
      json.endObject();
    }
    json.endArray();
  }

  /** @return a baseline of these measurements, as read from a history line */
  static Baseline read(Map<String, Measurement> measurements, String jvm, Instant created) {
    return new Baseline(measurements, jvm, created);
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
      List<Double> forkMedians = new ArrayList<>();
      if (metric.get("rawData") instanceof List<?> forks) {
        for (Object fork : forks) {
          List<Double> values = doubles((List<?>) fork);
          samples.addAll(values);
          if (!values.isEmpty()) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            forkMedians.add(median(sorted));
          }
        }
      }
      boolean higher = "thrpt".equals(run.get("mode"));
      // with two forks or more, each fork's median is a run of its own: the spread between JVMs
      out.put(name.toString(), new Measurement(name.toString(), string(metric, "scoreUnit"), higher,
          number(metric.get("score")), number(metric.get("scoreError")), samples,
          forkMedians.size() >= 2 ? forkMedians : List.of(), List.of()));
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

  /** The medians of {@link #BLOCKS} consecutive blocks, or none with too few samples. */
  static List<Double> blockMedians(double[] samples) {
    if (samples.length < MIN_SAMPLES_FOR_BLOCKS) {
      return List.of();
    }
    List<Double> out = new ArrayList<>(BLOCKS);
    for (double m : Stats.blockMedians(samples, BLOCKS)) {
      out.add(m);
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
