package io.github.perfkit.core;

import io.github.perfkit.core.internal.HtmlAssets;
import io.github.perfkit.core.internal.ProfileParts;
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

  /** Made with its {@link Profile}, from the session's call tree. */
  FlameGraph(String title, ProfileParts.Flame flame) {
    this.title = title;
    this.folded = flame.folded();
    this.treeJson = flame.treeJson();
    this.self = flame.self();
    this.cumulative = flame.cumulative();
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
