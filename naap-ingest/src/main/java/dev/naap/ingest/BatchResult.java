package dev.naap.ingest;

/**
 * What became of one batch.
 *
 * @param accepted valid events written to {@code raw_events}
 * @param rejected messages written to {@code rejected_events}
 * @param duplicates valid events not written because their id was already stored (or earlier in
 *     the same batch)
 */
public record BatchResult(long accepted, long rejected, long duplicates) {

  public static final BatchResult EMPTY = new BatchResult(0, 0, 0);

  public BatchResult plus(BatchResult other) {
    return new BatchResult(accepted + other.accepted, rejected + other.rejected,
        duplicates + other.duplicates);
  }
}
