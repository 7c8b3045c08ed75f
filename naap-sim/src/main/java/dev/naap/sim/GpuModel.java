package dev.naap.sim;

/**
 * The GPU models of the simulated network, with what NVML reports for them and how fast each runs
 * each live pipeline.
 *
 * <p>{@code fps} is the output frame rate one container sustains when the input is fast enough;
 * {@code startupMs} the median time from the gateway's request to the orchestrator until the first
 * ingest segment is accepted (container warm-up and pipeline load), per {@link Pipeline} ordinal.
 */
enum GpuModel {
  RTX_5090("NVIDIA GeForce RTX 5090", 12, 0, 34_190_917_632L,
      new double[] {36, 22, 19, 16}, new long[] {1_600, 2_300, 2_600, 3_500}),
  RTX_4090("NVIDIA GeForce RTX 4090", 8, 9, 25_757_220_864L,
      new double[] {30, 18, 16, 13}, new long[] {1_800, 2_600, 2_900, 4_000}),
  H100("NVIDIA H100 80GB HBM3", 9, 0, 85_520_809_984L,
      new double[] {34, 23, 20, 17}, new long[] {1_500, 2_100, 2_400, 3_200}),
  A100("NVIDIA A100-SXM4-80GB", 8, 0, 85_899_345_920L,
      new double[] {26, 16, 14, 12}, new long[] {1_900, 2_800, 3_100, 4_200}),
  L40S("NVIDIA L40S", 8, 9, 48_305_799_168L,
      new double[] {24, 15, 13, 11}, new long[] {2_000, 2_900, 3_300, 4_500}),
  RTX_3090("NVIDIA GeForce RTX 3090", 8, 6, 25_769_803_776L,
      new double[] {20, 10, 9, 8}, new long[] {2_400, 3_600, 4_000, 5_500});

  final String nvmlName;
  final int major;
  final int minor;
  final long memoryTotalBytes;
  private final double[] fps;
  private final long[] startupMs;

  GpuModel(String nvmlName, int major, int minor, long memoryTotalBytes, double[] fps, long[] startupMs) {
    this.nvmlName = nvmlName;
    this.major = major;
    this.minor = minor;
    this.memoryTotalBytes = memoryTotalBytes;
    this.fps = fps;
    this.startupMs = startupMs;
  }

  double fps(Pipeline p) {
    return fps[p.ordinal()];
  }

  long startupMs(Pipeline p) {
    return startupMs[p.ordinal()];
  }
}
