package io.github.perfkit.spring.boot.internal;

import io.github.perfkit.core.internal.Require;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * N+1 suspects: SQL shapes one request ran at least {@code threshold} times, by route (HTTP method
 * and URI pattern, never the URI itself), handler and shape (literals replaced by {@code ?}).
 * Bounded: at most {@code maxSuspects} entries; further ones are counted as dropped. Thread-safe;
 * a request costs a map lookup per shape over the threshold.
 */
public final class RequestSqlSuspects {

  private record Key(String route, String handler, String shape) {}

  private static final class Entry {
    final LongAdder requests = new LongAdder();
    final LongAdder statements = new LongAdder();
    final AtomicLong maxPerRequest = new AtomicLong();
    volatile long lastPerRequest;
    volatile long lastSeenMillis;
  }

  private final int threshold;
  private final int maxSuspects;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();

  /**
   * @param threshold executions of one shape in one request that make it a suspect, {@code >= 2}
   * @param maxSuspects the most entries kept, {@code >= 1}
   */
  public RequestSqlSuspects(int threshold, int maxSuspects) {
    if (threshold < 2) {
      throw new IllegalArgumentException(
          "perfkit.jdbc.n-plus-one.threshold must be at least 2 but was " + threshold);
    }
    Require.positive(maxSuspects, "perfkit.jdbc.n-plus-one.max-suspects");
    this.threshold = threshold;
    this.maxSuspects = maxSuspects;
  }

  /** @return the threshold */
  public int threshold() {
    return threshold;
  }

  /**
   * Takes one request's statements.
   *
   * @param route HTTP method and URI pattern, such as {@code GET /orders/{id}}
   * @param handler the handler, such as {@code OrderController#orders}
   * @param counts statements by shape
   */
  public void request(String route, String handler, Map<String, Long> counts) {
    counts.forEach((shape, n) -> {
      if (n < threshold) {
        return;
      }
      Key key = new Key(route, handler, shape);
      Entry e = entries.get(key);
      if (e == null) {
        if (entries.size() >= maxSuspects) {
          dropped.increment();
          return;
        }
        e = entries.computeIfAbsent(key, k -> new Entry());
      }
      e.requests.increment();
      e.statements.add(n);
      e.maxPerRequest.accumulateAndGet(n, Math::max);
      e.lastPerRequest = n;
      e.lastSeenMillis = System.currentTimeMillis();
    });
  }

  /** @return suspects not kept because {@code maxSuspects} were kept already */
  public long dropped() {
    return dropped.sum();
  }

  /** @return the suspects, the most statements in one request first */
  public List<Map<String, Object>> report() {
    List<Map.Entry<Key, Entry>> all = new ArrayList<>(entries.entrySet());
    all.sort(Comparator.comparingLong((Map.Entry<Key, Entry> e) -> e.getValue().maxPerRequest.get())
        .reversed());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<Key, Entry> e : all) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("route", e.getKey().route());
      m.put("handler", e.getKey().handler());
      m.put("shape", e.getKey().shape());
      m.put("requests", e.getValue().requests.sum());
      m.put("maxPerRequest", e.getValue().maxPerRequest.get());
      m.put("lastPerRequest", e.getValue().lastPerRequest);
      m.put("statements", e.getValue().statements.sum());
      m.put("lastSeen", java.time.Instant.ofEpochMilli(e.getValue().lastSeenMillis).toString());
      out.add(m);
    }
    return out;
  }
}
