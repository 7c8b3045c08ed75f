package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ffmpeg publisher without ffmpeg: its command line, and a stand-in binary that fails. */
class FfmpegIngestTest {
  static final LiveStream STREAM =
      new LiveStream(
          "lt-1",
          "lt-1",
          "streamdiffusion",
          new ObjectMapper().createObjectNode().put("prompt", "a red fox"),
          "orch-01",
          Duration.ofSeconds(65));

  @Test
  void command_publishesTheTestSourceWithTheStreamsQuery() {
    var cmd = new FfmpegIngest("ffmpeg", URI.create("rtmp://gw:1935")).command(STREAM);
    assertThat(cmd)
        .startsWith("ffmpeg")
        .contains("testsrc2=size=512x512:rate=30", "-t", "65", "flv");
    assertThat(cmd.getLast()).isEqualTo("rtmp://gw:1935/lt-1?pipeline=streamdiffusion&streamId=lt-1"
        + "&params=%7B%22prompt%22%3A%22a%20red%20fox%22%7D&duration_secs=65&orchestrator=orch-01");
  }

  @Test
  void aMissingBinary_isAnIngestError() {
    assertThatThrownBy(
            () -> new FfmpegIngest("/nonexistent/ffmpeg", URI.create("rtmp://gw/")).start(STREAM))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.INGEST_ERROR));
  }

  @Test
  void aPublisherThatDies_reportsWhyUntilClosed(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("ffmpeg");
    Files.writeString(fake, "#!/bin/sh\necho 'Connection refused' >&2\nexit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    try (StreamIngest.Publishing p =
        new FfmpegIngest(fake.toString(), URI.create("rtmp://gw/")).start(STREAM)) {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (p.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(p.failure()).isEqualTo("ffmpeg exited with code 1: Connection refused");
    }
  }
}
