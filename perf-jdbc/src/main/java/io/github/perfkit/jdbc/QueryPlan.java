package io.github.perfkit.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * A query plan in one model for every database: a tree of {@link Node}s, the raw text the database
 * returned, and {@link Finding}s a user can act on. Immutable. Made by {@link Explain#explain}.
 *
 * @param database the database product name
 * @param root the plan's root node
 * @param raw the plan exactly as the database returned it
 * @param findings actionable observations, possibly empty
 */
public record QueryPlan(String database, Node root, String raw, List<Finding> findings) {

  /**
   * Copies the findings.
   *
   * @param database product name
   * @param root root node
   * @param raw raw plan
   * @param findings findings
   */
  public QueryPlan {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(raw, "raw");
    findings = List.copyOf(findings);
  }

  /**
   * One plan node.
   *
   * @param operation what the node does ({@code Seq Scan}, {@code Index Scan}, {@code ALL}, ...)
   * @param relation the table it reads, or null
   * @param estimatedRows the planner's row estimate, or -1 when not given
   * @param actualRows rows actually produced (ANALYZE only), or -1
   * @param cost the planner's total cost, or -1 when not given
   * @param detail filter or other detail text, or null
   * @param children child nodes
   */
  public record Node(String operation, String relation, double estimatedRows, double actualRows,
      double cost, String detail, List<Node> children) {
    /**
     * Copies the children.
     *
     * @param operation operation
     * @param relation relation
     * @param estimatedRows estimate
     * @param actualRows actual
     * @param cost cost
     * @param detail detail
     * @param children children
     */
    public Node {
      Objects.requireNonNull(operation, "operation");
      children = List.copyOf(children);
    }
  }

  /**
   * Something to act on.
   *
   * @param kind what was found
   * @param message what it means and what to do, naming the table and the filter, the filter as a
   *     shape (its literals replaced by {@code ?}; {@link QueryPlan#raw()} keeps the plan as is)
   */
  public record Finding(Kind kind, String message) {}

  /** Kinds of findings. */
  public enum Kind {
    /** A full scan of a large table under a selective filter: an index would help. */
    SEQUENTIAL_SCAN_SUGGEST_INDEX,
    /** The planner's estimate and the actual rows differ by more than 10x: statistics are stale. */
    ESTIMATE_FAR_FROM_ACTUAL,
    /** A sort or hash spilled to disk: raise work memory or reduce the input. */
    SPILL_TO_DISK
  }
}
