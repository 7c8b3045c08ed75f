package dev.naap.loadtest;

import java.util.Locale;

/** Why a test failed (docs/LOADTEST.md, "Error classes"); {@link #NONE} when it did not. */
public enum ErrorClass {
  NONE,
  /** The gateway found no orchestrator that matches the pin and has capacity. */
  NO_ORCHESTRATOR,
  /** An orchestrator turned the job down: insufficient capacity, payment or ticket refused. */
  ORCHESTRATOR_REFUSED,
  /** The gateway moved the stream off the pinned orchestrator (slow, lost, swapped). */
  ORCHESTRATOR_SWAPPED,
  /** Nothing came within the deadline: no output, no answer, no applied prompt change. */
  TIMEOUT,
  /** The runner reported an error state (crash, restart loop). */
  RUNNER_ERROR,
  /** The test video did not reach the gateway, or the gateway dropped it. */
  INGEST_ERROR,
  /** The gateway could not be reached, or answered with a server error. */
  GATEWAY_UNAVAILABLE,
  /** The gateway refused the request itself (4xx): a plan the gateway does not accept. */
  GATEWAY_REJECTED,
  /** The gateway reported an error that matches no class above. */
  GATEWAY_ERROR,
  /** A prompt change was accepted but never showed in the status within the deadline. */
  PROMPT_NOT_APPLIED;

  /** The lower-case name stored in results and used as a metric label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
