package dev.naap.loadtest;

/**
 * How a test stream's video reaches the gateway. {@link HookIngest} calls the gateway's publish
 * hook directly (the simulator needs no video); {@link FfmpegIngest} publishes a real test
 * source, and the gateway's MediaMTX calls the hook itself. Implementations are thread-safe.
 */
public interface StreamIngest {

  /** Starts publishing {@code stream}; when this returns the gateway has been asked to start it. */
  Publishing start(LiveStream stream) throws GatewayException, InterruptedException;

  /** A stream being published. */
  interface Publishing extends AutoCloseable {
    /** Why publishing failed, or null while it runs. */
    String failure();

    /** Stops publishing. */
    @Override
    void close();
  }
}
