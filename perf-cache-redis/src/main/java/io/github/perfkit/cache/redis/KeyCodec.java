package io.github.perfkit.cache.redis;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns cache keys into the strings that name them in Redis and in invalidation messages, and
 * back. Encodings must be injective (two keys, two strings). Implementations must be thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

  /**
   * @param key a key, not null
   * @return its name
   */
  String encode(K key);

  /**
   * @param encoded a name {@link #encode} produced
   * @return the key
   */
  K decode(String encoded);

  /** @return string keys as they are */
  static KeyCodec<String> strings() {
    return of(s -> s, s -> s);
  }

  /** @return long keys in decimal */
  static KeyCodec<Long> longs() {
    return of(String::valueOf, Long::valueOf);
  }

  /** @return int keys in decimal */
  static KeyCodec<Integer> integers() {
    return of(String::valueOf, Integer::valueOf);
  }

  /**
   * @param encode key to name
   * @param decode name to key
   * @param <K> the key type
   * @return the codec
   */
  static <K> KeyCodec<K> of(Function<? super K, String> encode, Function<String, ? extends K> decode) {
    Objects.requireNonNull(encode, "encode");
    Objects.requireNonNull(decode, "decode");
    return new KeyCodec<>() {
      @Override
      public String encode(K key) {
        return encode.apply(key);
      }

      @Override
      public K decode(String encoded) {
        return decode.apply(encoded);
      }
    };
  }
}
