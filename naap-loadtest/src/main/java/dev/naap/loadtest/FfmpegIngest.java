package dev.naap.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes ffmpeg's test source (512x512 {@code testsrc2} at 30 fps with a sine tone) over RTMP
 * to a real gateway's MediaMTX, with the stream's query on the publish URL; MediaMTX then calls
 * the gateway's {@code /start} hook. Requires an {@code ffmpeg} binary (Debian's package).
 */
public final class FfmpegIngest implements StreamIngest {
  private static final int KEEP_STDERR_BYTES = 2_000;
  /** How long a failure report waits for the rest of an exited ffmpeg's stderr. */
  private static final Duration STDERR_GRACE = Duration.ofSeconds(1);

  private final String ffmpeg;
  private final URI rtmpBase;

  /** Publishes with {@code ffmpeg} to {@code rtmpBase} (e.g. {@code rtmp://gateway:1935/}). */
  public FfmpegIngest(String ffmpeg, URI rtmpBase) {
    this.ffmpeg = ffmpeg;
    String s = rtmpBase.toString();
    this.rtmpBase = URI.create(s.endsWith("/") ? s : s + "/");
  }

  /** The ffmpeg command line for {@code stream}. */
  List<String> command(LiveStream stream) {
    String url = rtmpBase + GatewayClient.enc(stream.key()) + "?" + stream.query();
    return List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=512x512:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", Long.toString(Math.max(1, stream.duration().toSeconds())),
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", url);
  }

  @Override
  public Publishing start(LiveStream stream) throws GatewayException {
    Process p;
    try {
      p =
          new ProcessBuilder(command(stream))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new GatewayException(
          ErrorClass.INGEST_ERROR, 0, "cannot run " + ffmpeg + ": " + e.getMessage(), e);
    }
    StringBuffer stderr = new StringBuffer();
    Thread reader = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), stderr));
    return new Publishing() {
      private volatile boolean closing;

      @Override
      public String failure() {
        if (closing || p.isAlive() || p.exitValue() == 0) {
          return null;
        }
        // The process can exit before its last words are read: give the reader a moment to reach
        // the end of stderr (bounded: a child of ffmpeg could hold the pipe open).
        try {
          reader.join(STDERR_GRACE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "ffmpeg exited with code " + p.exitValue() + ": " + stderr.toString().strip();
      }

      @Override
      public void close() {
        closing = true;
        p.destroy();
        try {
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static void drain(InputStream in, StringBuffer keep) {
    byte[] buf = new byte[1024];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        keep.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        if (keep.length() > KEEP_STDERR_BYTES) {
          keep.delete(0, keep.length() - KEEP_STDERR_BYTES);
        }
      }
    } catch (IOException e) {
      keep.append(" (stderr lost: ").append(e.getMessage()).append(')');
    }
  }
}
