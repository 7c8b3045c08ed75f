package dev.naap.store;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;

/**
 * Keeps the JVM's handlers for the signals that libchdb resets. HotSpot turns SIGSEGV into
 * NullPointerExceptions (implicit null checks) and uses the others too; libchdb resets ILL, TRAP,
 * ABRT, BUS, FPE, SEGV, TSTP and SYS to SIG_DFL in {@code chdb_set_signal_handlers_enabled(0)} and
 * in every {@code chdb_connect}. Each of those calls runs inside {@link #preserving}, which saves
 * the {@code struct sigaction} of those signals through libc before the call and puts it back
 * after. Not thread-safe: callers hold {@link ChdbLibrary#lifecycleLock()}.
 *
 * <p>A window of a few microseconds stays open during the call; preloading HotSpot's libjsig
 * (signal chaining) closes it, so launchers do both (docs/STORE.md).
 */
// Binding native code is this class's job; callers run with --enable-native-access.
@SuppressWarnings("restricted")
final class SignalGuard {
  /** ILL, TRAP, ABRT, BUS, FPE, SEGV, TSTP, SYS on Linux x86_64 and aarch64. */
  static final int[] SIGNALS = {4, 5, 6, 7, 8, 11, 20, 31};
  /** Larger than glibc's 152-byte {@code struct sigaction}. */
  private static final long SIGACTION_BYTES = 256;

  private final MethodHandle sigaction;

  SignalGuard() {
    Linker linker = Linker.nativeLinker();
    sigaction =
        linker.downcallHandle(
            linker.defaultLookup().find("sigaction").orElseThrow(
                () -> new IllegalStateException("libc sigaction not found")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  }

  /** The outcome of a guarded call, and how many handlers had to be put back. */
  record Guarded<T>(T value, int restored) {}

  <T> Guarded<T> preserving(Callable<T> call) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment[] saved = new MemorySegment[SIGNALS.length];
      for (int i = 0; i < SIGNALS.length; i++) {
        saved[i] = arena.allocate(SIGACTION_BYTES, 16);
        check(sigaction(SIGNALS[i], MemorySegment.NULL, saved[i]), "save", SIGNALS[i]);
      }
      T value;
      try {
        value = call.call();
      } catch (Exception | Error e) {
        restore(arena, saved);
        throw e;
      }
      return new Guarded<>(value, restore(arena, saved));
    }
  }

  /** Puts the saved handlers back; returns how many had been changed. */
  private int restore(Arena arena, MemorySegment[] saved) {
    int changed = 0;
    MemorySegment now = arena.allocate(SIGACTION_BYTES, 16);
    for (int i = 0; i < SIGNALS.length; i++) {
      check(sigaction(SIGNALS[i], MemorySegment.NULL, now), "read", SIGNALS[i]);
      // The first field of struct sigaction is the handler (sa_handler / sa_sigaction).
      if (now.get(JAVA_LONG, 0) != saved[i].get(JAVA_LONG, 0)) {
        changed++;
      }
      check(sigaction(SIGNALS[i], saved[i], MemorySegment.NULL), "restore", SIGNALS[i]);
    }
    return changed;
  }

  private int sigaction(int signal, MemorySegment act, MemorySegment oldAct) {
    try {
      return (int) sigaction.invokeExact(signal, act, oldAct);
    } catch (Throwable t) {
      throw new IllegalStateException("sigaction(" + signal + ") failed", t);
    }
  }

  private static void check(int rc, String what, int signal) {
    if (rc != 0) {
      throw new IllegalStateException(
          "sigaction " + what + " of signal " + signal + " returned " + rc);
    }
  }
}
