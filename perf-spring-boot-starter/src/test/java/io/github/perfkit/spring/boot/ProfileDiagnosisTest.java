package io.github.perfkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.perfkit.testkit.HeadlessChromium;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * The profile operation diagnoses the service's requests while they run: a known CPU-bound request
 * is CPU-bound with its loop as the hottest code, a known sleeping request is waiting. The profile
 * covers Tomcat's request threads ({@code threads=http-nio-...-exec-}), the thread serving the
 * POST itself among them; that one sleeps for the duration and must be left out (it reads as
 * waiting and dilutes the CPU-bound verdict).
 */
class ProfileDiagnosisTest extends StarterTestBase {

  @Autowired TestRestTemplate http;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aCpuBoundRequestIsTheHottestCode() throws Exception {
    JsonNode profile = profileWhile("/work/cpu");
    assertThat(profile.at("/topSelf/0/method").asText()).as(profile.toString())
        .contains("Work.burn");
    assertThat(profile.at("/diagnosis/cpuNanos").asLong()).isPositive();

    // the flame graph page of that profile renders in a real browser without script errors
    String html = http.getForObject("/actuator/perfkit/flamegraph", String.class);
    java.nio.file.Path file = java.nio.file.Files.createTempFile("perfkit-flame-", ".html");
    try {
      java.nio.file.Files.writeString(file, html);
      HeadlessChromium.Page page = HeadlessChromium.open(file);
      assertThat(page.dom()).as(page.log()).containsPattern("<svg[^>]*class=\"flame\"")
          .doesNotContainPattern("<html[^>]* data-errors=").contains("burn");
      assertThat(page.log()).doesNotContain("Uncaught");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void aSleepingRequestIsWaiting() throws Exception {
    JsonNode profile = profileWhile("/work/sleep");
    assertThat(profile.at("/diagnosis/bottleneck").asText()).as(profile.toString())
        .isEqualTo("WAITING");
  }

  /**
   * The POST's own thread is left out, so a CPU-bound request reads CPU-bound. The endpoint asks
   * for it ({@code Profiler.Builder.excludeCallingThread()}); perf-core's ProfileSession does not
   * honour {@code ProfileSettings.ThreadScope.caller()} yet (another engineer edits it; the
   * change is in the issue 15 starter report). Without it this reads "WAITING" over 2 threads.
   */
  @Test
  void theThreadServingTheProfileIsLeftOut() throws Exception {
    JsonNode cpu = profileWhile("/work/cpu");
    assertThat(cpu.at("/diagnosis/bottleneck").asText()).as(cpu.toString()).isEqualTo("CPU_BOUND");
    // the CPU-bound request's thread only: not the POST's, which slept
    assertThat(cpu.at("/diagnosis/threads").asInt()).as(cpu.toString()).isEqualTo(1);
    JsonNode sleep = profileWhile("/work/sleep");
    assertThat(sleep.at("/diagnosis/bottleneck").asText()).isEqualTo("WAITING");
    assertThat(sleep.at("/diagnosis/threads").asInt()).as(sleep.toString()).isEqualTo(1);
  }

  /** Profiles Tomcat's request threads while one request to {@code path} runs. */
  private JsonNode profileWhile(String path) throws Exception {
    StarterApp.Work.stop.set(false);
    CompletableFuture<String> request =
        CompletableFuture.supplyAsync(() -> http.getForObject(path, String.class));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (StarterApp.Work.running.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(StarterApp.Work.running.get()).as("the known request runs").isEqualTo(1);
      // Tomcat's request threads: http-nio-8080-exec-7, or http-nio-auto-1-exec-7 on a random port
      String worker = StarterApp.Work.thread;
      String requestThreads = worker.substring(0, worker.lastIndexOf('-') + 1);
      assertThat(requestThreads).contains("-exec-");
      ResponseEntity<String> r = http.postForEntity("/actuator/perfkit/profile",
          Map.of("duration", "1s", "threads", requestThreads), String.class);
      assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
      return json.readTree(r.getBody());
    } finally {
      StarterApp.Work.stop.set(true);
      request.get(30, TimeUnit.SECONDS);
    }
  }
}
