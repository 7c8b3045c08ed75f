package dev.naap.bench;

import dev.naap.app.Range;
import picocli.CommandLine.Option;

/**
 * The generated network ({@link GeneratedNetwork}) of the query, API and overload benchmarks: one
 * declaration of its size for the three.
 */
final class NetworkOptions {

  @Option(names = "--days", paramLabel = "D", description = "days of history, ending this hour")
  @Range(min = 1, max = 366)
  int days = 30;

  @Option(names = "--gpus", paramLabel = "G", description = "GPUs in the network")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int gpus = 1000;

  @Option(names = "--orchestrators", paramLabel = "O",
      description = "orchestrators the GPUs are on")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int orchestrators = 400;
}
