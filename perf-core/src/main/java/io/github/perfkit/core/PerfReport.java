package io.github.perfkit.core;

import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.HtmlAssets;
import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.LatencyTable;
import io.github.perfkit.core.internal.Require;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One report of a performance investigation, rendered from the same model as plain text (logs),
 * Markdown (pull requests), JSON (tools) or one self-contained HTML page with charts: percentiles
 * per approach, stage breakdown bars with the 80% line, and the flame graph. The page embeds its
 * data, style and script and fetches nothing, so it opens offline and can be attached to a CI run.
 *
 * <pre>{@code
 * PerfReport report = PerfReport.titled("Import, before and after")
 *     .add(profile).add(breakdown.snapshot()).add(comparison).add(regressionReport).build();
 * Path page = report.writeHtml(Path.of("target/perf-report.html"));
 * }</pre>
 *
 * <p>Sections keep the order they were added in. Builders are not thread-safe; a built report is
 * immutable and thread-safe.
 */
public final class PerfReport {

  /** One part of the report, rendered four ways. */
  private interface Section {
    String text();

    String markdown();

    String kind();

    String json();

    void html(StringBuilder out, String id);

    int charts();
  }

  private record ProfileSection(Profile profile) implements Section {
    public String text() {
      return profile.text();
    }

    public String markdown() {
      return profile.markdown();
    }

    public String kind() {
      return "profile";
    }

    public String json() {
      return profile.json();
    }

    public void html(StringBuilder out, String id) {
      profileHtml(out, profile, id);
    }

    public int charts() {
      return 1;
    }
  }

  private record BreakdownSection(BreakdownSnapshot breakdown) implements Section {
    public String text() {
      return breakdown.text();
    }

    public String markdown() {
      return breakdown.markdown();
    }

    public String kind() {
      return "breakdown";
    }

    public String json() {
      return breakdown.json();
    }

    public void html(StringBuilder out, String id) {
      breakdownHtml(out, breakdown, id);
    }

    public int charts() {
      return 1;
    }
  }

  private record ComparisonSection(Comparison comparison) implements Section {
    public String text() {
      return comparison.text();
    }

    public String markdown() {
      return comparison.markdown();
    }

    public String kind() {
      return "comparison";
    }

    public String json() {
      return comparison.json();
    }

    public void html(StringBuilder out, String id) {
      comparisonHtml(out, comparison, id);
    }

    public int charts() {
      return 1;
    }
  }

  private record RegressionSection(RegressionReport report) implements Section {
    public String text() {
      return report.text();
    }

    public String markdown() {
      return report.markdown();
    }

    public String kind() {
      return "regression";
    }

    public String json() {
      return report.json();
    }

    public void html(StringBuilder out, String id) {
      regressionHtml(out, report);
    }

    public int charts() {
      return 0;
    }
  }

  private record LatencySection(String title, List<LatencySnapshot> snapshots)
      implements Section {
    public String text() {
      return title + ":\n" + LatencyTable.text(snapshots);
    }

    public String markdown() {
      return "## " + title + "\n\n" + LatencyTable.markdown(snapshots);
    }

    public String kind() {
      return "latency";
    }

    public String json() {
      return LatencyTable.json(snapshots);
    }

    public void html(StringBuilder out, String id) {
      latencyHtml(out, this, id);
    }

    public int charts() {
      return snapshots.isEmpty() ? 0 : 1;
    }
  }

  private record NoteSection(String title, String body) implements Section {
    public String text() {
      return title + ":\n" + body + "\n";
    }

    public String markdown() {
      return "## " + title + "\n\n```\n" + body + "\n```\n";
    }

    public String kind() {
      return "note";
    }

    public String json() {
      return new Json().beginObject().field("title", title).field("text", body).endObject()
          .toString();
    }

    public void html(StringBuilder out, String id) {
      out.append("<h2>").append(HtmlAssets.escape(title)).append("</h2><pre>")
          .append(HtmlAssets.escape(body)).append("</pre>");
    }

    public int charts() {
      return 0;
    }
  }

  private final String title;
  private final Instant created;
  private final List<Section> sections;

  private PerfReport(String title, Instant created, List<Section> sections) {
    this.title = title;
    this.created = created;
    this.sections = List.copyOf(sections);
  }

  /**
   * Starts a report.
   *
   * @param title its title
   * @return a builder
   */
  public static Builder titled(String title) {
    return new Builder(Require.notBlank(title, "title"));
  }

  /**
   * Collects sections, in the order added (each {@code add} is a section, not a setting: call it
   * any number of times). Not thread-safe; {@link #build()} copies, so a builder can be
   * reused: sections added after a build never appear in the report built before.
   */
  public static final class Builder {
    private final String title;
    private final List<Section> sections = new ArrayList<>();

    private Builder(String title) {
      this.title = title;
    }

    /**
     * @param profile a profile: hot methods, diagnosis, memory, flame graph
     * @return this builder
     */
    public Builder add(Profile profile) {
      sections.add(new ProfileSection(Require.notNull(profile, "profile")));
      return this;
    }

    /**
     * @param breakdown a stage breakdown: bars with the 80% line
     * @return this builder
     */
    public Builder add(BreakdownSnapshot breakdown) {
      sections.add(new BreakdownSection(Require.notNull(breakdown, "breakdown")));
      return this;
    }

    /**
     * @param comparison a comparison: percentiles per approach and the verdicts
     * @return this builder
     */
    public Builder add(Comparison comparison) {
      sections.add(new ComparisonSection(Require.notNull(comparison, "comparison")));
      return this;
    }

    /**
     * @param report a regression check's outcome
     * @return this builder
     */
    public Builder add(RegressionReport report) {
      sections.add(new RegressionSection(Require.notNull(report, "report")));
      return this;
    }

    /**
     * @param sectionTitle the section's title
     * @param snapshots recorders' snapshots: percentiles per recorder
     * @return this builder
     */
    public Builder add(String sectionTitle, Collection<LatencySnapshot> snapshots) {
      Require.notNull(sectionTitle, "sectionTitle");
      Require.notNull(snapshots, "snapshots");
      sections.add(new LatencySection(sectionTitle, List.copyOf(snapshots)));
      return this;
    }

    /**
     * @param sectionTitle the note's title
     * @param text free text, shown preformatted
     * @return this builder
     */
    public Builder note(String sectionTitle, String text) {
      sections.add(new NoteSection(Require.notNull(sectionTitle, "sectionTitle"),
          Require.notNull(text, "text")));
      return this;
    }

    /**
     * @return the report, with the sections added so far
     * @throws IllegalStateException if no section was added
     */
    public PerfReport build() {
      Require.state(!sections.isEmpty(), "add at least one section before build()");
      return new PerfReport(title, Instant.now(), sections);
    }
  }

  /** @return the report for a terminal or a log */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("== ").append(title).append(" ==\n");
    for (Section s : sections) {
      out.append('\n').append(s.text());
    }
    return out.toString();
  }

  /** @return the report in Markdown */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(title).append("\n");
    for (Section s : sections) {
      out.append('\n').append(s.markdown());
    }
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.report/1}: {@code title}, {@code created} and
   *     {@code sections}, each {@code {"kind": ..., "data": document}} where the document is the
   *     section's own JSON ({@code perfkit.profile/1}, {@code perfkit.breakdown/1},
   *     {@code perfkit.comparison/1}, {@code perfkit.regression/1}, {@code perfkit.latency/1}) or,
   *     for a note, {@code {"title", "text"}}
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.report/1").field("title", title)
        .field("created", created.toString()).beginArray("sections");
    for (Section s : sections) {
      json.beginObject().field("kind", s.kind()).raw("data", s.json()).endObject();
    }
    return json.endArray().endObject().toString();
  }

  /** @return how many charts {@link #html()} draws (a test can check the browser drew them all) */
  public int chartCount() {
    return sections.stream().mapToInt(Section::charts).sum();
  }

  /** @return one self-contained HTML page */
  public String html() {
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(HtmlAssets.escape(title)).append("</h1><p class=\"muted\">")
        .append(HtmlAssets.escape(created.toString())).append(" &middot; ")
        .append(HtmlAssets.escape("Java " + Runtime.version())).append("</p>");
    int id = 0;
    for (Section s : sections) {
      s.html(body, "s" + (++id));
    }
    return HtmlAssets.page(title, body.toString());
  }

  /**
   * Writes {@link #html()}, creating parent directories.
   *
   * @param file the target, replaced if it exists
   * @return the file
   * @throws IOException if it cannot be written
   */
  public Path writeHtml(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return HtmlAssets.write(file, html());
  }

  private static void profileHtml(StringBuilder b, Profile p, String id) {
    Diagnosis d = p.diagnosis();
    b.append("<h2>Profile: ").append(HtmlAssets.escape(p.name())).append("</h2><p>")
        .append(HtmlAssets.escape(String.format(Locale.ROOT, "%s wall, %d samples every %d ms in %d"
            + " thread(s).", Format.duration(p.wallNanos()), p.samples(),
            p.samplingPeriod().toMillis(), p.threads().size())))
        .append("</p><h3>Diagnosis: ").append(HtmlAssets.escape(d.headline()))
        .append("</h3><pre>").append(HtmlAssets.escape(d.text())).append("</pre>");
    b.append("<table><tr><th>method</th><th>self</th><th>cumulative</th></tr>");
    for (Profile.MethodShare m : p.topSelf()) {
      b.append("<tr><td>").append(HtmlAssets.escape(m.method())).append("</td><td>")
          .append(pct(m.share())).append("</td><td>").append(pct(p.cumulativeShare(m.method())))
          .append("</td></tr>");
    }
    b.append("</table>");
    if (p.threads().size() > 1) {
      b.append("<h3>Threads</h3><table><tr><th>thread</th><th>samples</th><th>cpu</th>"
          + "<th>allocated</th><th>blocked</th><th>hottest method</th></tr>");
      for (Profile.ThreadProfile t : p.threads()) {
        b.append("<tr><td>").append(HtmlAssets.escape(t.name())).append("</td><td>")
            .append(t.samples()).append("</td><td>")
            .append(t.cpuNanos() < 0 ? "n/a" : Format.duration(t.cpuNanos())).append("</td><td>")
            .append(MemoryProfile.bytes(t.allocatedBytes())).append("</td><td>")
            .append(t.blockedNanos() < 0 ? "n/a" : Format.duration(t.blockedNanos()))
            .append("</td><td style=\"text-align:left\">")
            .append(t.topSelf().isEmpty() ? "" : HtmlAssets.escape(t.topSelf().get(0).method()))
            .append("</td></tr>");
      }
      b.append("</table>");
    }
    b.append("<h3>Memory</h3><pre>").append(HtmlAssets.escape(p.memory().text()))
        .append("</pre><h3>Flame graph</h3>")
        .append(HtmlAssets.flameSection(id, p.flameGraph().json()));
  }

  private static void breakdownHtml(StringBuilder b, BreakdownSnapshot s, String id) {
    b.append("<h2>Stage breakdown: ").append(HtmlAssets.escape(s.name())).append("</h2><p>")
        .append(HtmlAssets.escape(Format.duration(s.totalNanos()))).append(" in stages; 80% of it"
            + " in ").append(HtmlAssets.escape(String.join(", ",
                s.top80().stream().map(BreakdownSnapshot.StageStats::name).toList())))
        .append(".</p>");
    Json json = new Json().beginObject().field("threshold", BreakdownSnapshot.THRESHOLD)
        .beginArray("stages");
    for (BreakdownSnapshot.StageStats st : s.stages()) {
      json.beginObject().field("name", st.name()).field("share", st.share())
          .field("cumulativeShare", st.cumulativeShare()).field("inTop80", st.inTop80())
          .endObject();
    }
    b.append(HtmlAssets.chart("breakdown", id, json.endArray().endObject().toString()));
    b.append("<pre>").append(HtmlAssets.escape(s.text())).append("</pre>");
  }

  private static void comparisonHtml(StringBuilder b, Comparison c, String id) {
    b.append("<h2>Comparison: ").append(HtmlAssets.escape(c.name())).append("</h2>");
    Json json = new Json().beginObject().beginArray("rows");
    for (Comparison.Result r : c.results()) {
      json.beginObject().field("name", r.name()).field("p50", r.p50()).field("p95", r.p95())
          .field("p99", r.p99()).endObject();
    }
    String rows = json.endArray().endObject().toString();
    b.append(HtmlAssets.chart("percentiles", id, rows.substring(rows.indexOf('['),
        rows.length() - 1)));
    b.append("<table><tr><th>approach</th><th>p50</th><th>p95</th><th>p99</th><th>alloc/call</th>"
        + "<th>vs baseline</th></tr>");
    for (Comparison.Result r : c.results()) {
      String cls = r.significant() ? (r.speedup() > 1 ? "good" : "bad") : "muted";
      b.append("<tr><td>").append(HtmlAssets.escape(r.name())).append("</td><td>")
          .append(Format.duration((long) r.p50())).append("</td><td>")
          .append(Format.duration((long) r.p95())).append("</td><td>")
          .append(Format.duration((long) r.p99())).append("</td><td>")
          .append(r.allocatedBytesPerCall() < 0 ? "n/a" : MemoryProfile.bytes(r.allocatedBytesPerCall()))
          .append("</td><td class=\"").append(cls).append("\">")
          .append(HtmlAssets.escape(Comparison.verdict(r))).append("</td></tr>");
    }
    b.append("</table>");
  }

  private static void regressionHtml(StringBuilder b, RegressionReport r) {
    b.append("<h2>Regression check</h2><table><tr><th>measurement</th><th>verdict</th>"
        + "<th>explanation</th></tr>");
    for (RegressionReport.Entry e : r.entries()) {
      String cls = switch (e.verdict()) {
        case REGRESSED -> "bad";
        case IMPROVED -> "good";
        default -> "muted";
      };
      b.append("<tr><td>").append(HtmlAssets.escape(e.name())).append("</td><td class=\"")
          .append(cls).append("\">").append(e.verdict()).append("</td><td style=\"text-align:left\">")
          .append(HtmlAssets.escape(e.explanation())).append("</td></tr>");
    }
    b.append("</table>");
  }

  private static void latencyHtml(StringBuilder b, LatencySection l, String id) {
    b.append("<h2>").append(HtmlAssets.escape(l.title())).append("</h2>");
    if (!l.snapshots().isEmpty()) {
      Json json = new Json().beginObject().beginArray("rows");
      for (LatencySnapshot s : l.snapshots()) {
        json.beginObject().field("name", s.name()).field("p50", s.p50().toNanos())
            .field("p95", s.p95().toNanos()).field("p99", s.p99().toNanos()).endObject();
      }
      String rows = json.endArray().endObject().toString();
      b.append(HtmlAssets.chart("percentiles", id, rows.substring(rows.indexOf('['),
          rows.length() - 1)));
    }
    b.append("<pre>").append(HtmlAssets.escape(LatencyTable.text(l.snapshots()))).append("</pre>");
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
