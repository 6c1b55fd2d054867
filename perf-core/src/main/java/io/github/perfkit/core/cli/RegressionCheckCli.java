package io.github.perfkit.core.cli;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.HistoryReport;
import io.github.perfkit.core.RegressionCheck;
import io.github.perfkit.core.RegressionReport;
import io.github.perfkit.core.RunHistory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RegressionCheck} from the command line, for CI: perf-core's jar alone runs it, for example
 * after a JMH run.
 * <pre>
 * java -cp perf-core.jar io.github.perfkit.core.cli.RegressionCheckCli [--tolerance 0.10]
 *     [--alpha 0.01] [--markdown] baseline.json current.json
 * java -cp perf-core.jar io.github.perfkit.core.cli.RegressionCheckCli [--tolerance 0.10]
 *     [--alpha 0.01] [--markdown] --history runs.jsonl
 * </pre>
 * Either file may be a perfkit baseline or a JMH result file. It prints the report (text, or
 * Markdown with {@code --markdown}) and exits with 0 when nothing regressed, 1 when something did, 2
 * on bad arguments or unreadable files. With {@code --history} it reads a {@link
 * io.github.perfkit.core.RunHistory} file instead, prints where each measurement changed
 * ({@link RegressionCheck#changes()}) and exits with 1 when a measurement's latest change is a
 * regression; there alpha defaults to 0.05. Stateless; each run reads its files once.
 */
public final class RegressionCheckCli {

  private RegressionCheckCli() {}

  /**
   * Runs the check, prints the report and exits with its status; see the class documentation.
   *
   * @param args options and the two files
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The command line, without exiting.
   *
   * @param args options and the two files
   * @param out where the report goes
   * @param err where errors go
   * @return 0 nothing regressed, 1 regressions, 2 bad arguments or files
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Double tolerance = null;
    Double alpha = null;
    boolean markdown = false;
    String history = null;
    List<String> files = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--tolerance" -> tolerance = Double.parseDouble(value(args, ++i, "--tolerance"));
          case "--alpha" -> alpha = Double.parseDouble(value(args, ++i, "--alpha"));
          case "--markdown" -> markdown = true;
          case "--history" -> history = value(args, ++i, "--history");
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + args[i]);
            }
            files.add(args[i]);
          }
        }
      }
      if (history != null) {
        if (!files.isEmpty()) {
          throw new IllegalArgumentException("--history takes no other files but got "
              + files.size());
        }
        RegressionCheck check = RegressionCheck.against(RunHistory.load(Path.of(history)));
        check = tolerance == null ? check : check.tolerance(tolerance);
        HistoryReport report = (alpha == null ? check : check.alpha(alpha)).changes();
        out.print(markdown ? report.markdown() : report.text());
        return report.hasRegressions() ? 1 : 0;
      }
      if (files.size() != 2) {
        throw new IllegalArgumentException("expected two files (baseline, current) but got "
            + files.size());
      }
      RegressionReport report = RegressionCheck.against(Baseline.load(Path.of(files.get(0))))
          .tolerance(tolerance == null ? 0.05 : tolerance).alpha(alpha == null ? 0.01 : alpha)
          .check(Baseline.load(Path.of(files.get(1))));
      out.print(markdown ? report.markdown() : report.text());
      return report.hasRegressions() ? 1 : 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("regression check: " + e.getMessage());
      err.println("usage: java -cp perf-core.jar io.github.perfkit.core.cli.RegressionCheckCli"
          + " [--tolerance 0.05] [--alpha 0.01] [--markdown] (baseline.json current.json"
          + " | --history runs.jsonl); with --history alpha defaults to 0.05");
      return 2;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
