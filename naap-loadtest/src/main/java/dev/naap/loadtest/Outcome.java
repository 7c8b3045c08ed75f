package dev.naap.loadtest;

import java.util.Locale;

/** How a test ended. */
public enum Outcome {
  SUCCESS,
  FAILURE,
  /** The tester was stopped while the test ran; its measurements are partial. */
  ABORTED;

  /** The lower-case name stored in results and used as a metric label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
