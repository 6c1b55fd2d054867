package io.github.perfkit.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a page in a real headless Chromium (Debian's {@code chromium}) and returns the DOM after its
 * scripts ran, with what the browser logged. Skips the test when no Chromium is installed, or fails
 * it when {@code PERFKIT_REQUIRE_SERVICES=true} ({@code .ci/run} installs it). Each call uses a fresh
 * profile directory and no network services. Thread-safe.
 */
public final class HeadlessChromium {

  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  private HeadlessChromium() {}

  /**
   * What the browser produced.
   *
   * @param dom the serialized DOM after the page's scripts ran
   * @param log the browser's stderr, including {@code CONSOLE} lines of the page
   */
  public record Page(String dom, String log) {}

  /** @return the Chromium binary, or skip/fail as described in the class documentation */
  public static Path binary() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      for (String name : NAMES) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    String message = "no headless Chromium on PATH (looked for " + NAMES + "); install it with"
        + " `apt-get install -y chromium`";
    if (LoopbackServices.servicesRequired()) {
      Assertions.fail(LoopbackServices.REQUIRE_ENV + "=true and " + message);
    }
    Assumptions.abort(message);
    return null;
  }

  /**
   * Loads a local HTML file and dumps its DOM once the page has settled.
   *
   * @param html the page
   * @return the DOM and the log
   * @throws IOException if Chromium cannot be started
   * @throws InterruptedException if interrupted while waiting
   */
  public static Page open(Path html) throws IOException, InterruptedException {
    Path binary = binary();
    Path profile = Files.createTempDirectory("perfkit-chromium-");
    Path log = profile.resolve("stderr.log");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless",
          "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
          "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--window-size=1280,2000",
          "--dump-dom", html.toAbsolutePath().toUri().toString()));
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      byte[] dom = p.getInputStream().readAllBytes();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        Assertions.fail("Chromium did not finish within 90 s");
      }
      String stderr = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        Assertions.fail("Chromium exited with " + p.exitValue() + ":\n" + stderr);
      }
      return new Page(new String(dom, StandardCharsets.UTF_8), stderr);
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
