package dev.naap.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cleanup that a stopped benchmark must finish: a stop interrupts its thread (Bench), and the
 * cleanup runs as if it had not, the interrupt kept for the caller.
 */
final class Cleanup {

  /** A cleanup step. */
  interface Step {
    void run() throws InterruptedException;
  }

  private Cleanup() {}

  /** Runs {@code step} with the thread's interrupt set aside, then restores it. */
  static void despiteInterrupt(Step step) throws InterruptedException {
    boolean interrupted = Thread.interrupted();
    try {
      step.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops {@code processes} as a supervisor does: SIGTERM to all, then up to {@code wait} each,
   * then SIGKILL to one still running and to its descendants.
   */
  static void stop(List<Process> processes, Duration wait) throws InterruptedException {
    despiteInterrupt(() -> {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    });
  }
}
