package io.github.perfkit.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sampled stacks merged into a call tree (root first), with per-method self and cumulative counts.
 * Not thread-safe: one JFR reader fills it, then it is only read.
 */
public final class StackTree {

  /** A frame in the tree. */
  public static final class Node {
    final String name;
    long total;
    long self;
    final Map<String, Node> children = new LinkedHashMap<>();

    Node(String name) {
      this.name = name;
    }
  }

  private final Node root = new Node("all");
  private final Map<String, Long> self = new HashMap<>();
  private final Map<String, Long> cumulative = new HashMap<>();
  private long samples;

  /**
   * Adds one sample.
   *
   * @param leafFirst frames as JFR gives them, the executing method first
   */
  public void add(List<String> leafFirst) {
    add(leafFirst, 1);
  }

  /**
   * Adds a sample that stands for {@code weight} samples (a native sample taken for several
   * threads at once).
   *
   * @param leafFirst frames as JFR gives them, the executing method first
   * @param weight how many samples it counts for, at least 1
   */
  public void add(List<String> leafFirst, long weight) {
    samples += weight;
    root.total += weight;
    Node node = root;
    for (int i = leafFirst.size() - 1; i >= 0; i--) {
      String frame = leafFirst.get(i);
      node = node.children.computeIfAbsent(frame, Node::new);
      node.total += weight;
    }
    node.self += weight;
    if (!leafFirst.isEmpty()) {
      self.merge(leafFirst.get(0), weight, Long::sum);
    }
    Set<String> seen = new HashSet<>();
    for (String frame : leafFirst) {
      if (seen.add(frame)) {
        cumulative.merge(frame, weight, Long::sum);
      }
    }
  }

  public long samples() {
    return samples;
  }

  public Map<String, Long> self() {
    return self;
  }

  public Map<String, Long> cumulative() {
    return cumulative;
  }

  /**
   * Samples under the outermost frames that {@code matches} accepts (a frame nested in a matching
   * frame is not counted again), by frame and by the frame that called it.
   *
   * @param samples samples under a matching frame
   * @param byFrame those samples by the outermost matching frame
   * @param byCaller those samples by the frame just above it ("all" at the root)
   */
  public record Calls(long samples, Map<String, Long> byFrame, Map<String, Long> byCaller) {}

  /**
   * @param matches which frames count (called once per distinct frame name and node)
   * @param prunes frames whose subtree is left out entirely (checked first)
   * @return the samples under the outermost matching frames outside pruned subtrees
   */
  public Calls outermost(java.util.function.Predicate<String> matches,
      java.util.function.Predicate<String> prunes) {
    Map<String, Long> byFrame = new HashMap<>();
    Map<String, Long> byCaller = new HashMap<>();
    long samples = 0;
    ArrayDeque<Node> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Node parent = todo.pop();
      for (Node child : parent.children.values()) {
        if (prunes.test(child.name)) {
          continue;
        }
        if (matches.test(child.name)) {
          samples += child.total;
          byFrame.merge(child.name, child.total, Long::sum);
          byCaller.merge(parent.name, child.total, Long::sum);
        } else {
          todo.push(child);
        }
      }
    }
    return new Calls(samples, byFrame, byCaller);
  }

  /** @return the n largest entries of a count map, largest first, ties by name */
  public static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    return entries.subList(0, Math.min(n, entries.size()));
  }

  /** @return folded stacks ("root;child;leaf count" per line), for flamegraph.pl and speedscope */
  public String folded() {
    StringBuilder out = new StringBuilder();
    for (Node child : root.children.values()) {
      fold(child, new StringBuilder(), out);
    }
    return out.toString();
  }

  private static void fold(Node node, StringBuilder path, StringBuilder out) {
    int mark = path.length();
    if (mark > 0) {
      path.append(';');
    }
    path.append(node.name.replace(';', ':'));
    if (node.self > 0) {
      out.append(path).append(' ').append(node.self).append('\n');
    }
    for (Node child : node.children.values()) {
      fold(child, path, out);
    }
    path.setLength(mark);
  }

  /**
   * The tree as compact JSON ({@code {"n":name,"v":samples,"c":[...]}}), children widest first;
   * frames narrower than {@code minShare} of the root are dropped.
   */
  public String json(double minShare) {
    StringBuilder out = new StringBuilder();
    write(root, Math.max(1, (long) Math.ceil(root.total * minShare)), out);
    return out.toString();
  }

  private static void write(Node node, long min, StringBuilder out) {
    out.append("{\"n\":");
    Json.quote(node.name, out);
    out.append(",\"v\":").append(node.total);
    List<Node> kids = new ArrayList<>();
    for (Node child : node.children.values()) {
      if (child.total >= min) {
        kids.add(child);
      }
    }
    if (!kids.isEmpty()) {
      kids.sort(Comparator.comparingLong((Node n) -> n.total).reversed());
      out.append(",\"c\":[");
      for (int i = 0; i < kids.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(kids.get(i), min, out);
      }
      out.append(']');
    }
    out.append('}');
  }
}
