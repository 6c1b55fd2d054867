package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.perfkit.core.Diagnosis.Bottleneck;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ground truths for what waiting is made of: the hottest kind of wait decides the first remedy
 * (sync once per batch for file syncs, overlap for socket waits), and a collector with no room in
 * its heap says the heap is too small.
 */
class WaitKindsTest {

  @Test
  void aSyncPerRecordIsToldToSyncOncePerBatch(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("log.bin");
    try (FileChannel log = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      ByteBuffer record = ByteBuffer.allocate(512);
      Profile p = Profiler.named("fsync").build().profile(() -> {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < end) {
          record.clear();
          log.write(record);
          log.force(false); // a sync per record
        }
      });
      Diagnosis d = p.diagnosis();
      System.out.println(d.text());
      assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.WAITING);
      assertThat(d.strategies().get(0).name()).as(d.text()).isEqualTo("sync once per batch");
      assertThat(d.findings()).as(d.text()).anyMatch(f -> f.startsWith("waits seen: file syncs"));
    }
  }

  @Test
  void waitingForASlowServerKeepsOverlapAndBatching() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream()) {
          while (in.read() >= 0) { // a 10 ms service per request
            Thread.sleep(10);
            out.write(1);
            out.flush();
          }
        } catch (Exception e) {
          // the client closed
        }
      }, "slow-server");
      serving.setDaemon(true);
      serving.start();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        Profile p = Profiler.named("remote").build().profile(() -> {
          for (int i = 0; i < 40; i++) {
            out.write(1);
            out.flush();
            in.read();
          }
        });
        Diagnosis d = p.diagnosis();
        System.out.println(d.text());
        assertThat(d.bottleneck()).as(d.text()).isEqualTo(Bottleneck.WAITING);
        assertThat(d.strategies()).extracting(Diagnosis.Strategy::name).as(d.text())
            .startsWith("parallelism", "batching");
        assertThat(d.findings()).as(d.text()).anyMatch(f -> f.startsWith("waits seen: socket"));
      }
    }
  }

  /** Runs in a JVM with a 64 MiB heap: keeps 40 MiB alive while allocating 800 MiB. */
  public static final class SmallHeap {
    public static void main(String[] args) {
      Profile p = Profiler.named("small heap").build().profile(() -> {
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 36 * 16; i++) {
          live.add(new byte[64 * 1024]);
        }
        Object[] ring = new Object[1_000];
        for (int i = 0; i < 200_000; i++) {
          ring[i % ring.length] = new byte[4_096];
        }
        System.out.println(live.size() + ring.length);
      });
      System.out.println(p.diagnosis().json());
    }
  }

  @Test
  void aCollectorWithNoRoomInItsHeapSaysTheHeapIsTooSmall() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), SmallHeap.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes());
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    String json = out.substring(out.indexOf("{\"schema\""));
    System.out.println(json);
    assertThat(json).contains("\"bottleneck\":\"GC_PRESSURE\"");
    assertThat(json).as(json).contains("{\"name\":\"bigger heap\"");
    assertThat(json.indexOf("\"bigger heap\"")).isLessThan(json.indexOf("\"fewer allocations\""));
  }
}
