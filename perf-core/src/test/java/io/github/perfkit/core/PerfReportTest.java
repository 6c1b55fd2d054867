package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.internal.HtmlAssets;
import io.github.perfkit.core.internal.JsonReader;
import io.github.perfkit.testkit.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One report model, four renderings; the HTML is checked in a real headless browser. */
class PerfReportTest {

  static PerfReport report;

  static long work(int n) {
    long x = 0;
    for (int i = 0; i < n; i++) {
      x += Long.toString(i * 31L).hashCode();
    }
    return x;
  }

  @BeforeAll
  static void build() throws Exception {
    Profile profile = Profiler.named("report profile <x>").build()
        .profile(() -> ProfilerTest.eightyTwenty(400));
    StageBreakdown stages = StageBreakdown.create("pipeline");
    for (int i = 0; i < 5; i++) {
      stages.time("fetch", () -> work(20_000));
      stages.time("parse", () -> work(80_000));
      stages.time("store", () -> work(5_000));
    }
    Comparison comparison = Compare.named("string work").baseline("20k", () -> work(20_000))
        .add("10k", () -> work(10_000)).rounds(10).warmupRounds(2).build().run();
    RegressionReport regression = RegressionCheck.against(Baseline.of(comparison))
        .check(Baseline.of(comparison));
    LatencyRecorder recorder = LatencyRecorder.create("request");
    for (int i = 1; i <= 100; i++) {
      recorder.record(i * 1_000_000L);
    }
    report = PerfReport.titled("Report & \"charts\"").add(profile).add(stages.snapshot())
        .add(comparison).add(regression).add("Latency", List.of(recorder.snapshot()))
        .note("Setting", "2 cores, JDK " + Runtime.version()).build();
  }

  @Test
  void textMarkdownAndJsonCarryTheSameSections() {
    assertThat(report.text()).contains("== Report & \"charts\" ==").contains("Profile 'report")
        .contains("Stage breakdown 'pipeline'").contains("Comparison 'string work'")
        .contains("Regression check").contains("request")
        .containsPattern("Diagnosis: [A-Za-z]"); // the verdict itself is DiagnosisTest's to check
    assertThat(report.markdown()).startsWith("# Report").contains("## Profile `report")
        .contains("| approach |").contains("| measurement | verdict |");
    Map<?, ?> json = (Map<?, ?>) JsonReader.parse(report.json());
    assertThat(json.get("schema")).isEqualTo("perfkit.report/1");
    List<?> sections = (List<?>) json.get("sections");
    assertThat(sections.stream().map(s -> (Object) ((Map<?, ?>) s).get("kind")).toList())
        .containsExactly("profile", "breakdown", "comparison", "regression", "latency", "note");
    Map<?, ?> profile = (Map<?, ?>) ((Map<?, ?>) sections.get(0)).get("data");
    assertThat(((Map<?, ?>) profile.get("diagnosis")).get("bottleneck")).isEqualTo("CPU_BOUND");
    assertThat(((Map<?, ?>) profile.get("flame")).get("n")).isEqualTo("all");
    assertThat(report.chartCount()).isEqualTo(4);
  }

  @Test
  void profilesWithSeveralThreadsGetAThreadsTable() throws Exception {
    Profile p = Profiler.named("two").build().profile(() -> {
      Thread t = new Thread(() -> ProfilerTest.sink = ProfilerTest.burnB(200_000_000L), "helper-1");
      t.start();
      ProfilerTest.sink = ProfilerTest.burnA(200_000_000L);
      t.join();
    });
    String html = PerfReport.titled("threads").add(p).build().html();
    assertThat(html).contains("<h3>Threads</h3>").contains("<td>helper-1</td>")
        .contains("ProfilerTest.burnB");
  }

  @Test
  void htmlIsSelfContained() {
    String html = report.html();
    assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http")
        .doesNotContain("<link").doesNotContain("@import").contains("Report &amp; &quot;charts&quot;")
        .contains("report profile &lt;x&gt;");
  }

  @Test
  void browserRendersEveryChartWithoutScriptErrors(@TempDir Path dir) throws Exception {
    Path file = report.writeHtml(dir.resolve("report.html"));
    report.writeHtml(Path.of("target", "perf-report-sample.html")); // to look at after a build
    HeadlessChromium.Page page = HeadlessChromium.open(file);
    String dom = page.dom();
    assertThat(dom).as(page.log())
        .containsPattern("<body[^>]* data-rendered=\"" + report.chartCount() + "\"");
    assertThat(dom).doesNotContainPattern("<html[^>]* data-errors=");
    assertThat(page.log()).doesNotContain("Uncaught");
    assertThat(count(dom, "<svg[^>]*class=\"flame\"")).isEqualTo(1);
    assertThat(count(dom, "<g class=\"frame\">")).isGreaterThan(3);
    assertThat(dom).contains("ProfilerTest.burnA");
    assertThat(count(dom, "<svg[^>]*class=\"chart percentiles\"")).isEqualTo(2);
    assertThat(count(dom, "<svg[^>]*class=\"chart breakdown\"")).isEqualTo(1);
    assertThat(dom).contains("class=\"line80\"").contains("80% line");
    // a bar per approach and percentile (2 approaches x 3) and per recorder (1 x 3), one per stage
    assertThat(count(dom, "class=\"bar\"")).isEqualTo(6 + 3 + 3);
  }

  @Test
  void aBrokenPageIsCaughtByTheSameCheck(@TempDir Path dir) throws Exception {
    // proves the check can fail: an unknown chart kind throws inside the page's script
    Path file = Files.writeString(dir.resolve("broken.html"),
        HtmlAssets.page("broken", HtmlAssets.chart("pie", "p", "[1,2]")));
    HeadlessChromium.Page page = HeadlessChromium.open(file);
    assertThat(page.dom()).containsPattern("<html[^>]* data-errors=\"[^\"]*unknown chart kind: pie")
        .containsPattern("<body[^>]* data-rendered=\"0\"");
  }

  @Test
  void emptyReportsAndBadArgumentsAreRefused() {
    assertThatThrownBy(() -> PerfReport.titled(" ")).hasMessageContaining("title");
    assertThatThrownBy(() -> PerfReport.titled("x").build())
        .hasMessageContaining("add at least one section");
    assertThatThrownBy(() -> PerfReport.titled("x").add((Profile) null))
        .hasMessageContaining("profile");
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
