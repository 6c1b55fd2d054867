package io.github.perfkit.bootquickstart;

import io.github.perfkit.parallel.BoundedExecutor;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.stereotype.Service;

/** README's Spring Boot quick start, as written there (twin: {@link QuickStartTest}). */
@SpringBootApplication
@EnableCaching
public class QuickStartApp {

  /** A cached lookup: a perfkit cache named "users", with its spec from the properties. */
  @Service
  public static class Users {
    @Cacheable("users")
    public String find(long id) {
      return "user-" + id; // a slow lookup in a real service
    }
  }

  /** Fans out on the executor declared as perfkit.executors.fetch.*. */
  @Service
  public static class Prices {
    private final BoundedExecutor fetch;

    Prices(@Qualifier("fetch") BoundedExecutor fetch) {
      this.fetch = fetch;
    }

    public List<Integer> all(List<Integer> ids) {
      return fetch.map(ids, id -> id * 100); // at most 100 at once, with executor.* meters
    }
  }
}
