package dev.naap.sim;

/**
 * The GPU models of the simulated network, with what NVML reports for them and how fast each runs
 * each live pipeline.
 *
 * <p>{@code fps} is the output frame rate one container sustains when the input is fast enough;
 * {@code startupMs} the median orchestrator startup, from the first ingest segment to the first
 * processed segment leaving the runner (pipeline load and warm-up), per {@link Pipeline} ordinal;
 * the real network shows 0.6-6.3 s to the gateway, typically 1-1.5 s.
 */
enum GpuModel {
  RTX_5090("NVIDIA GeForce RTX 5090", 12, 0, 34_190_917_632L,
      new double[] {36, 22, 19, 16}, new long[] {650, 900, 1_050, 1_400}),
  RTX_4090("NVIDIA GeForce RTX 4090", 8, 9, 25_757_220_864L,
      new double[] {30, 18, 16, 13}, new long[] {700, 1_050, 1_150, 1_600}),
  H100("NVIDIA H100 80GB HBM3", 9, 0, 85_520_809_984L,
      new double[] {34, 23, 20, 17}, new long[] {600, 850, 950, 1_300}),
  A100("NVIDIA A100-SXM4-80GB", 8, 0, 85_899_345_920L,
      new double[] {26, 16, 14, 12}, new long[] {750, 1_100, 1_250, 1_700}),
  L40S("NVIDIA L40S", 8, 9, 48_305_799_168L,
      new double[] {24, 15, 13, 11}, new long[] {800, 1_150, 1_300, 1_800}),
  RTX_3090("NVIDIA GeForce RTX 3090", 8, 6, 25_769_803_776L,
      new double[] {20, 10, 9, 8}, new long[] {950, 1_450, 1_600, 2_200});

  final String nvmlName;
  final int major;
  final int minor;
  final long memoryTotalBytes;
  private final double[] fps;
  private final long[] startupMs;

  GpuModel(
      String nvmlName,
      int major,
      int minor,
      long memoryTotalBytes,
      double[] fps,
      long[] startupMs) {
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
