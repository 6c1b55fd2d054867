package io.github.perfkit.cache.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The invalidations a cache has issued that Redis has not confirmed yet, at most one per key
 * (a newer invalidation of a pending key replaces the older one, without taking more room) plus at
 * most one "invalidate all". Bounded: {@link #add} refuses a new key when {@code capacity} keys are
 * waiting. An entry leaves only through {@link #remove} with that very entry, so that a delivery
 * of an older invalidation never removes a newer one of the same key. Thread-safe; lookups are
 * one {@code ConcurrentHashMap} read, skipped when the outbox is empty.
 */
public final class InvalidationOutbox {

  /** One pending invalidation of a key (encoded with the cache's key codec), or of everything. */
  public static final class Entry {
    private final String encodedKey; // null: invalidate all

    Entry(String encodedKey) {
      this.encodedKey = encodedKey;
    }

    /** @return the encoded key, or null for "invalidate all" */
    public String encodedKey() {
      return encodedKey;
    }
  }

  private final int capacity;
  private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger keys = new AtomicInteger();
  private final AtomicReference<Entry> all = new AtomicReference<>();

  /** @param capacity the most keys that may wait, {@code >= 1} */
  public InvalidationOutbox(int capacity) {
    this.capacity = capacity;
  }

  /** @return the most keys that may wait */
  public int capacity() {
    return capacity;
  }

  /**
   * Records an invalidation of a key.
   *
   * @param encodedKey the encoded key
   * @return its entry, or null if the outbox is full and the key was not already waiting
   */
  public Entry add(String encodedKey) {
    Entry entry = new Entry(encodedKey);
    boolean[] full = {false};
    byKey.compute(encodedKey, (k, old) -> {
      if (old == null) {
        if (keys.incrementAndGet() > capacity) {
          keys.decrementAndGet();
          full[0] = true;
          return null;
        }
      }
      return entry;
    });
    return full[0] ? null : entry;
  }

  /** @return the entry of a new "invalidate all" (replacing a waiting one); never refused */
  public Entry addAll() {
    Entry entry = new Entry(null);
    all.set(entry);
    return entry;
  }

  /**
   * Removes a delivered entry, unless a newer invalidation replaced it.
   *
   * @param entry the delivered entry
   */
  public void remove(Entry entry) {
    if (entry.encodedKey == null) {
      all.compareAndSet(entry, null);
    } else if (byKey.remove(entry.encodedKey, entry)) {
      keys.decrementAndGet();
    }
  }

  /**
   * @param encodedKey an encoded key
   * @return whether Redis may still hold a value of it that was invalidated: the key, or
   *     everything, is waiting
   */
  public boolean covers(String encodedKey) {
    return all.get() != null || (keys.get() > 0 && byKey.containsKey(encodedKey));
  }

  /** @return the waiting "invalidate all", or null */
  public Entry pendingAll() {
    return all.get();
  }

  /** @return the waiting key entries, in no particular order (a snapshot) */
  public List<Entry> pendingKeys() {
    return new ArrayList<>(byKey.values());
  }

  /** @return how many invalidations wait: keys, plus one for a waiting "invalidate all" */
  public int size() {
    return keys.get() + (all.get() == null ? 0 : 1);
  }
}
