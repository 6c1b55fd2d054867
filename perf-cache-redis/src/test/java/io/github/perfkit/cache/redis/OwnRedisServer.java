package io.github.perfkit.cache.redis;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server the test starts itself on a spare loopback port, so that it can stop and restart
 * it. Needs the {@code redis-server} binary (skips, or fails under
 * {@code PERFKIT_REQUIRE_SERVICES=true}, without it).
 */
final class OwnRedisServer implements AutoCloseable {

  final int port;
  private Process process;

  private OwnRedisServer(int port) {
    this.port = port;
  }

  static int sparePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A port with nothing listening, where a server can be started later. */
  static OwnRedisServer notStarted() throws IOException {
    requireBinary();
    return new OwnRedisServer(sparePort());
  }

  static OwnRedisServer start() throws Exception {
    OwnRedisServer server = notStarted();
    server.startAgain();
    return server;
  }

  private static void requireBinary() {
    boolean present = Files.isExecutable(Path.of("/usr/bin/redis-server"))
        || Files.isExecutable(Path.of("/usr/local/bin/redis-server"));
    if (!present) {
      String message = "redis-server binary not found: cannot start a Redis of the test's own";
      if (LoopbackServices.servicesRequired()) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void startAgain() throws Exception {
    process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (ping()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  boolean ping() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      int n = s.getInputStream().read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
