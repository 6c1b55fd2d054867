package io.github.perfkit.cache.redis;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server the test starts itself on a spare loopback port, so that it can stop and restart
 * it. Needs the {@code redis-server} binary (skips, or fails under
 * {@code PERFKIT_REQUIRE_SERVICES=true}, without it). Extra arguments (such as
 * {@code --requirepass}) apply to every start. {@link #pause()} and {@link #resume()} send SIGSTOP
 * and SIGCONT: the server keeps its connections open but answers nothing, as a Redis stuck in a
 * long command or a swap storm does.
 */
final class OwnRedisServer implements AutoCloseable {

  final int port;
  private final List<String> extraArgs;
  private Process process;
  private boolean paused;

  private OwnRedisServer(int port, String... extraArgs) {
    this.port = port;
    this.extraArgs = List.of(extraArgs);
  }

  static int sparePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A port with nothing listening, where a server can be started later. */
  static OwnRedisServer notStarted(String... extraArgs) throws IOException {
    requireBinary();
    return new OwnRedisServer(sparePort(), extraArgs);
  }

  static OwnRedisServer start(String... extraArgs) throws Exception {
    OwnRedisServer server = notStarted(extraArgs);
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

  /** A URI with credentials, e.g. {@code uri(null, "secret")} or {@code uri("app", "secret")}. */
  String uri(String user, String password) {
    return "redis://" + (user == null ? "" : user) + ":" + password + "@127.0.0.1:" + port;
  }

  void startAgain() throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command)
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

  /** Whether the server answers (a PING, or the NOAUTH error a password-protected one gives). */
  boolean ping() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1_000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      int n = s.getInputStream().read(reply);
      String answer = n > 0 ? new String(reply, 0, n, StandardCharsets.US_ASCII) : "";
      return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  /** The server's process id, for {@code kill}. */
  long pid() {
    if (process == null) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    return process.pid();
  }

  /** SIGSTOP: the server freezes with its connections open. */
  void pause() throws Exception {
    signal("-STOP");
    paused = true;
  }

  /** SIGCONT: the server answers again, starting with what queued up while it was paused. */
  void resume() throws Exception {
    signal("-CONT");
    paused = false;
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
    }
  }

  void stop() throws Exception {
    if (process != null) {
      if (paused) {
        resume(); // a stopped process still dies of SIGKILL, but leave nothing frozen behind
      }
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
