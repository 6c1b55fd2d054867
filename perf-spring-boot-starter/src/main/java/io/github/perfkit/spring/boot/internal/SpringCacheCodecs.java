package io.github.perfkit.spring.boot.internal;

import io.github.perfkit.cache.redis.KeyCodec;
import io.github.perfkit.cache.redis.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Keys and values of Spring caches in Redis. Keys: {@code s:<string>}, {@code l:<long>},
 * {@code i:<int>}, else {@code j:<base64url of the Java-serialized key>} (Spring's
 * {@code SimpleKey} is serializable); values: Java serialization (Spring's {@code NullValue}
 * included). Stateless and thread-safe.
 */
public final class SpringCacheCodecs {

  private SpringCacheCodecs() {}

  /**
   * @param cache the cache name, for error messages
   * @return the key codec
   */
  public static KeyCodec<Object> keys(String cache) {
    return KeyCodec.of(key -> {
      if (key instanceof String s) {
        return "s:" + s;
      } else if (key instanceof Long n) {
        return "l:" + n;
      } else if (key instanceof Integer n) {
        return "i:" + n;
      }
      return "j:" + Base64.getUrlEncoder().withoutPadding().encodeToString(
          serialize(cache, "key", key));
    }, encoded -> switch (encoded.charAt(0)) {
      case 's' -> encoded.substring(2);
      case 'l' -> Long.valueOf(encoded.substring(2));
      case 'i' -> Integer.valueOf(encoded.substring(2));
      case 'j' -> deserialize(Base64.getUrlDecoder().decode(encoded.substring(2)));
      default -> throw new IllegalArgumentException("not a key of cache '" + cache + "'");
    });
  }

  /**
   * @param cache the cache name, for error messages
   * @return the value codec
   */
  public static ValueCodec<Object> values(String cache) {
    return ValueCodec.of(value -> serialize(cache, "value", value),
        SpringCacheCodecs::deserialize);
  }

  private static byte[] serialize(String cache, String what, Object o) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(o);
    } catch (NotSerializableException e) {
      // the class name only: never the key or the value
      throw new IllegalArgumentException("perfkit cache '" + cache + "' has a Redis tier, so each "
          + what + " must be Serializable, and a " + o.getClass().getName() + " is not; keep the "
          + "cache local with perfkit.cache.redis.exclude=" + cache, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Object deserialize(byte[] bytes) {
    try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resolves classes through the thread's context loader first (Boot's launcher, devtools). */
  private static final class ContextObjectInputStream extends ObjectInputStream {
    ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException,
        ClassNotFoundException {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      if (context != null) {
        try {
          return Class.forName(desc.getName(), false, context);
        } catch (ClassNotFoundException e) {
          // fall back to the default resolution
        }
      }
      return super.resolveClass(desc);
    }
  }
}
