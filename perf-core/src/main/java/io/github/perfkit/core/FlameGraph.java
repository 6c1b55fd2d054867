package io.github.perfkit.core;

import io.github.perfkit.core.internal.HtmlAssets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A profile's merged call tree: as folded stacks (the text format of {@code flamegraph.pl} and
 * speedscope) or as one self-contained HTML page with an interactive flame graph (click a frame to
 * zoom, search to highlight, hover for the counts) that opens offline: no script, style or font is
 * fetched. Immutable and thread-safe.
 */
public final class FlameGraph {

  /** Frames narrower than this share of all samples are left out of the HTML (not the folded text). */
  public static final double MIN_SHARE = 0.001;

  private final String title;
  private final String folded;
  private final String treeJson;
  private final Map<String, Long> self;
  private final Map<String, Long> cumulative;

  /**
   * Made by {@link Profiler}.
   *
   * @param title names the graph
   * @param folded folded stacks
   * @param treeJson the tree as JSON ({@code {"n","v","c"}})
   * @param self self samples per method
   * @param cumulative cumulative samples per method
   */
  public FlameGraph(String title, String folded, String treeJson, Map<String, Long> self,
      Map<String, Long> cumulative) {
    this.title = Objects.requireNonNull(title, "title");
    this.folded = Objects.requireNonNull(folded, "folded");
    this.treeJson = Objects.requireNonNull(treeJson, "treeJson");
    this.self = Map.copyOf(self);
    this.cumulative = Map.copyOf(cumulative);
  }

  /** @return one line per distinct stack: {@code root;...;leaf count} */
  public String folded() {
    return folded;
  }

  /** @return the tree as JSON ({@code {"n": frame, "v": samples, "c": [children]}}) */
  public String json() {
    return treeJson;
  }

  long selfSamples(String method) {
    return self.getOrDefault(method, 0L);
  }

  long cumulativeSamples(String method) {
    return cumulative.getOrDefault(method, 0L);
  }

  /** @return a self-contained HTML page with the flame graph */
  public String html() {
    return HtmlAssets.page("Flame graph: " + title,
        "<h1>Flame graph: " + HtmlAssets.escape(title) + "</h1>"
            + HtmlAssets.flameSection("flame", treeJson));
  }

  /**
   * Writes {@link #html()} to a file.
   *
   * @param file the target, replaced if it exists
   * @return the file
   * @throws IOException if it cannot be written
   */
  public Path writeHtml(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return HtmlAssets.write(file, html());
  }
}
