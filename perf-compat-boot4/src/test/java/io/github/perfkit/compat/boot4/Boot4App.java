package io.github.perfkit.compat.boot4;

import io.github.perfkit.parallel.BoundedExecutor;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** README's Spring Boot quick start, as written there, on Spring Boot 4.0. */
@SpringBootApplication
@EnableCaching
public class Boot4App {

  /** A cached lookup: a perfkit cache named "users", with its spec from the properties. */
  @Service
  public static class Users {
    @Cacheable("users")
    public String find(long id) {
      return "user-" + id;
    }
  }

  /** A query per item: an N+1 suspect for /actuator/perfkit. */
  @RestController
  public static class Items {
    private final JdbcTemplate jdbc;

    Items(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    /** @return {@code n} items, one query each */
    @GetMapping("/items/{n}")
    public List<Integer> perItem(@PathVariable int n) {
      List<Integer> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(jdbc.queryForObject("SELECT CAST(? AS int) AS boot4_item", Integer.class, i));
      }
      return out;
    }
  }

  /** Fans out on the executor declared as perfkit.executors.fetch.*. */
  @Service
  public static class Prices {
    private final BoundedExecutor fetch;

    Prices(@Qualifier("fetch") BoundedExecutor fetch) {
      this.fetch = fetch;
    }

    /** @return the prices */
    public List<Integer> all(List<Integer> ids) {
      return fetch.map(ids, id -> id * 100);
    }
  }
}
