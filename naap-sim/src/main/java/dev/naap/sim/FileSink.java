package dev.naap.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one message per line (newline-delimited envelopes), the format {@code naap import}
 * reads. Keys are not written. Not thread-safe.
 */
public final class FileSink implements EventSink {

  private final Path file;
  private final OutputStream out;
  private long messages;

  public FileSink(Path file) {
    this.file = file;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + " for writing", e);
    }
  }

  @Override
  public void send(String key, byte[] value) {
    try {
      out.write(value);
      out.write('\n');
      messages++;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write to " + file + " after " + messages + " messages", e);
    }
  }

  /** Messages written so far. */
  public long messages() {
    return messages;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot close " + file + " after " + messages + " messages", e);
    }
  }
}
