package dev.naap.loadtest;

import java.util.List;

/** An opened, validated prompt dataset. Immutable. */
public record Dataset(DatasetInfo info, List<PromptEntry> entries) {

  public Dataset {
    entries = List.copyOf(entries);
  }

  /** The entry at {@code index}, wrapping around, so a plan can walk the dataset forever. */
  public PromptEntry entry(long index) {
    return entries.get((int) Math.floorMod(index, (long) entries.size()));
  }
}
