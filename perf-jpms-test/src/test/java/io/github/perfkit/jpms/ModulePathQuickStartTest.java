package io.github.perfkit.jpms;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.testkit.LoopbackServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Launches {@link QuickStarts} as a named module on the module path, in a fresh JVM of the JDK that
 * runs the tests, with no {@code --add-modules}: every perfkit module must declare what it needs.
 */
class ModulePathQuickStartTest {

  private static String modulePath() throws Exception {
    String dependencies = Files.readString(Path.of("target/module-path.txt")).trim();
    return Path.of("target/classes").toAbsolutePath() + File.pathSeparator + dependencies;
  }

  private static String run(List<String> quickStarts) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--module-path", modulePath(),
        "--module", "io.github.perfkit.jpms/io.github.perfkit.jpms.QuickStarts"));
    command.addAll(quickStarts);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void everyQuickStartRunsOnTheModulePath() throws Exception {
    String output = run(List.of("core", "profiler", "junit", "cache", "parallel", "jdbc"));
    assertThat(output).contains("ok core", "ok profiler", "ok junit", "ok cache", "ok parallel",
        "ok jdbc");
  }

  @Test
  void theRedisModulesRunOnTheModulePath() throws Exception {
    LoopbackServices.Service redis = LoopbackServices.redis();
    String uri = "redis://" + redis.host() + ":" + redis.port();
    String output = run(List.of("redis=" + uri, "fleet=" + uri));
    assertThat(output).contains("ok redis", "ok fleet");
  }
}
