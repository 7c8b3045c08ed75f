package dev.naap.loadtest;

/**
 * Starts a stream by calling the gateway's {@code /start} hook as MediaMTX would, without video:
 * for the simulated gateway, whose client publishes for {@code duration_secs} on its own.
 */
public final class HookIngest implements StreamIngest {
  private final GatewayClient gateway;

  public HookIngest(GatewayClient gateway) {
    this.gateway = gateway;
  }

  @Override
  public Publishing start(LiveStream stream) throws GatewayException, InterruptedException {
    gateway.start(stream.key(), stream.query());
    return new Publishing() {
      @Override
      public String failure() {
        return null;
      }

      @Override
      public void close() {
        // The simulated client leaves by itself after the stream's duration.
      }
    };
  }
}
