package dev.naap.ingest;

/**
 * Where a message came from: its Kafka coordinates, or for a file import the file and the position
 * of the message in it (line for newline-delimited files, element for JSON arrays; partition 0).
 *
 * @param source {@code kafka} or {@code file}
 */
public record Origin(String source, String topic, int partition, long offset) {

  public static Origin kafka(String topic, int partition, long offset) {
    return new Origin("kafka", topic, partition, offset);
  }

  public static Origin file(String file, long position) {
    return new Origin("file", file, 0, position);
  }
}
