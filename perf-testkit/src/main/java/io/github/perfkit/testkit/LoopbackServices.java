package io.github.perfkit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Reaches the PostgreSQL, MariaDB and Redis servers on loopback for tests that need a real server.
 *
 * <p>When a server does not answer, the calling test is <em>skipped</em> with a message saying which
 * server and how to start it; when the environment variable {@code PERFKIT_REQUIRE_SERVICES} is
 * {@code true} (CI sets it), the test <em>fails</em> instead, so a missing server can never turn a CI
 * run green by skipping.
 *
 * <pre>{@code
 * @BeforeAll static void server() { url = LoopbackServices.postgres().jdbcUrl(); }
 * }</pre>
 *
 * <p>Addresses can be overridden with {@code PERFKIT_PG_URL}, {@code PERFKIT_MARIADB_URL} and
 * {@code PERFKIT_REDIS_HOST}/{@code PERFKIT_REDIS_PORT}. Thread-safe (stateless).
 */
public final class LoopbackServices {

  /** The environment variable that turns a missing server from a skip into a failure. */
  public static final String REQUIRE_ENV = "PERFKIT_REQUIRE_SERVICES";

  private LoopbackServices() {}

  /** Where a server is, as a test needs it. */
  public static final class Service {
    private final String name;
    private final String host;
    private final int port;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    Service(String name, String host, int port, String jdbcUrl, String user, String password) {
      this.name = name;
      this.host = host;
      this.port = port;
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
    }

    /** @return a short name, e.g. {@code postgresql} */
    public String name() {
      return name;
    }

    /** @return the host, normally 127.0.0.1 */
    public String host() {
      return host;
    }

    /** @return the TCP port */
    public int port() {
      return port;
    }

    /** @return the JDBC URL without credentials, or null for Redis */
    public String jdbcUrl() {
      return jdbcUrl;
    }

    /** @return the user name for JDBC, or null */
    public String user() {
      return user;
    }

    /** @return the password for JDBC (empty for the loopback servers), or null */
    public String password() {
      return password;
    }

    @Override
    public String toString() {
      return name + "@" + host + ":" + port;
    }
  }

  /**
   * The loopback PostgreSQL (database {@code test}, trust auth), or skip/fail as described above.
   *
   * @return the server's coordinates
   */
  public static Service postgres() {
    String url = env("PERFKIT_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    Service s = new Service("postgresql", "127.0.0.1", 5432, url, env("PERFKIT_PG_USER", "postgres"), "");
    return require(s, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        null);
  }

  /**
   * The loopback MariaDB (database {@code test}, root without password), or skip/fail.
   *
   * @return the server's coordinates
   */
  public static Service mariadb() {
    String url = env("PERFKIT_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    Service s = new Service("mariadb", "127.0.0.1", 3306, url, "root", "");
    return require(s, "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
        null);
  }

  /**
   * The loopback Redis (answers PING), or skip/fail.
   *
   * @return the server's coordinates
   */
  public static Service redis() {
    String host = env("PERFKIT_REDIS_HOST", "127.0.0.1");
    int port = Integer.parseInt(env("PERFKIT_REDIS_PORT", "6379"));
    Service s = new Service("redis", host, port, null, null, null);
    return require(s, "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" "
        + "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log", "PING");
  }

  /**
   * Whether a missing server must fail the test rather than skip it.
   *
   * @return true when {@code PERFKIT_REQUIRE_SERVICES=true}
   */
  public static boolean servicesRequired() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV));
  }

  private static Service require(Service service, String startCommand, String redisProbe) {
    return require(service, startCommand, redisProbe, servicesRequired());
  }

  static Service require(Service service, String startCommand, String redisProbe, boolean required) {
    String problem = probe(service, redisProbe);
    if (problem == null) {
      return service;
    }
    String message = service.name() + " is not reachable at " + service.host() + ":" + service.port()
        + " (" + problem + "). Start it with: " + startCommand;
    if (required) {
      Assertions.fail(REQUIRE_ENV + "=true and " + message);
    }
    Assumptions.abort("skipped: " + message);
    throw new AssertionError("unreachable");
  }

  static Service service(String name, String host, int port) {
    return new Service(name, host, port, null, null, null);
  }

  /** @return null when reachable, otherwise what went wrong */
  private static String probe(Service service, String redisProbe) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(service.host(), service.port()), 2000);
      socket.setSoTimeout(2000);
      if (redisProbe != null) {
        OutputStream out = socket.getOutputStream();
        out.write((redisProbe + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[16];
        int n = in.read(buffer);
        String answer = n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        if (!answer.startsWith("+PONG")) {
          return "answered '" + answer.trim() + "' to PING";
        }
      }
      return null;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
