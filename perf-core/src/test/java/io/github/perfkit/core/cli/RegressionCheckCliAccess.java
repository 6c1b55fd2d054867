package io.github.perfkit.core.cli;

import java.io.PrintStream;

/** Test access to {@link RegressionCheckCli#run} from other packages. */
public final class RegressionCheckCliAccess {
  private RegressionCheckCliAccess() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return RegressionCheckCli.run(args, out, err);
  }
}
