package io.github.perfkit.cache.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns cached values into the bytes stored in Redis, and back. Implementations must be
 * thread-safe. A value that fails to decode (a class changed between deployments) counts as an L2
 * miss and is loaded again.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * @param value a value, not null
   * @return its bytes
   */
  byte[] encode(V value);

  /**
   * @param bytes bytes {@link #encode} produced
   * @return the value
   */
  V decode(byte[] bytes);

  /** @return strings as UTF-8 */
  static ValueCodec<String> strings() {
    return of(s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
  }

  /** @return byte arrays as they are */
  static ValueCodec<byte[]> bytes() {
    return of(b -> b, b -> b);
  }

  /**
   * Java serialization, the default for {@link Serializable} values (records, collections of
   * serializable values, boxed numbers). Caveats: it is slower and larger than a schema-based
   * format, every instance must run compatible classes, and Redis must be trusted: decoding runs
   * Java deserialization on what Redis returns (never point a cache at a Redis others can write).
   *
   * @param <V> the value type
   * @return the codec
   */
  static <V extends Serializable> ValueCodec<V> java() {
    return new ValueCodec<>() {
      @Override
      public byte[] encode(V value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
          oos.writeObject(value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return out.toByteArray();
      }

      @Override
      @SuppressWarnings("unchecked")
      public V decode(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
          return (V) in.readObject();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /**
   * @param encode value to bytes
   * @param decode bytes to value
   * @param <V> the value type
   * @return the codec
   */
  static <V> ValueCodec<V> of(Function<? super V, byte[]> encode,
      Function<byte[], ? extends V> decode) {
    Objects.requireNonNull(encode, "encode");
    Objects.requireNonNull(decode, "decode");
    return new ValueCodec<>() {
      @Override
      public byte[] encode(V value) {
        return encode.apply(value);
      }

      @Override
      public V decode(byte[] bytes) {
        return decode.apply(bytes);
      }
    };
  }
}
