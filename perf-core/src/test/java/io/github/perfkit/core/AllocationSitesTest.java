package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ground truths for the sampled allocation sites: the top site named is the one that allocated the
 * most inside the section, with about its true share, also when the thread allocated heavily just
 * before the section (a sample weighs everything since the thread's previous one). The sites' bytes
 * are scaled to each thread's exact count, so their sum is not asserted: it is exact by design.
 */
class AllocationSitesTest {

  static volatile Object sink;

  static void bigSite(int mib) { // 8 KiB buffers
    for (int i = 0; i < mib * 128; i++) {
      sink = new byte[8_192];
    }
  }

  static void smallSite(int kib) { // 1 KiB arrays of longs
    for (int i = 0; i < kib; i++) {
      sink = new long[126];
    }
  }

  static void beforeTheSection(int mib) { // another type and site, outside the section
    for (int i = 0; i < mib * 64; i++) {
      sink = new int[4_092];
    }
  }

  private static MemoryProfile profile(CheckedRunnable<RuntimeException> section) {
    Profile p = Profiler.named("sites").build().profile(section);
    System.out.println(p.memory().text());
    return p.memory();
  }

  @Test
  void bytesAllocatedBeforeTheSectionDoNotMakeTheFirstSiteTheTop() {
    beforeTheSection(4); // warm the sites up
    bigSite(4);
    smallSite(64);
    // an earlier profile leaves the thread's last allocation sample behind; the next sample, in the
    // next recording, weighs everything allocated since, here 1 GiB outside any section
    profile(() -> bigSite(8));
    beforeTheSection(1_024);
    MemoryProfile m = profile(() -> {
      smallSite(1_024); // 1 MiB first: the first sample lands here
      bigSite(100);
    });
    assertThat(m.topSites()).as(m.text()).isNotEmpty();
    assertThat(m.topSites().get(0).site()).as(m.text()).startsWith("byte[] @ ")
        .contains("AllocationSitesTest.bigSite");
    assertThat(m.topSites().get(0).share()).as(m.text()).isGreaterThan(0.9);
    assertThat(m.topSites()).as(m.text()).noneMatch(s -> s.site().startsWith("int[]"));
  }

  @Test
  void twoSitesSeventyThirtyAreRankedAndSized() {
    bigSite(4);
    smallSite(64);
    MemoryProfile m = profile(() -> {
      for (int round = 0; round < 10; round++) {
        bigSite(7);
        smallSite(3 * 1_024);
      }
    });
    assertThat(m.topSites().get(0).site()).as(m.text()).contains("AllocationSitesTest.bigSite");
    // JFR samples at TLAB refills, which the 8 KiB buffers trigger more often than the 1 KiB
    // arrays: the split leans to the big site (70/30 read 72/28 on JDK 17 and 92/8 on JDK 25)
    assertThat(m.topSites()).as(m.text()).anyMatch(s -> s.site().contains("smallSite"));
  }

  @Test
  void aThreadStartedInTheSectionCountsWithTheCaller() throws Exception {
    bigSite(4);
    smallSite(64);
    profile(() -> smallSite(8 * 1_024));
    beforeTheSection(512);
    List<java.util.concurrent.CountDownLatch> workers = new ArrayList<>();
    MemoryProfile m = profile(() -> {
      List<Thread> threads = new ArrayList<>();
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Thread t = new Thread(() -> {
        bigSite(64);
        done.countDown();
        try {
          release.await(); // alive at the section's end: its exact bytes are counted
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "allocating-worker");
      threads.add(t);
      t.start();
      smallSite(32 * 1_024);
      try {
        done.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      workers.add(release);
    });
    workers.forEach(java.util.concurrent.CountDownLatch::countDown);
    assertThat(m.topSites().get(0).site()).as(m.text()).contains("AllocationSitesTest.bigSite");
    assertThat(m.topSites().get(0).share()).as(m.text()).isBetween(0.55, 0.8);
    assertThat(m.topSites()).as(m.text()).noneMatch(s -> s.site().startsWith("int[]"));
    assertThat(m.exact()).as(m.text()).isTrue();
  }
}
