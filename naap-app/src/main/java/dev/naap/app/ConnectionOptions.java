package dev.naap.app;

import dev.naap.http.Limits;
import picocli.CommandLine.Option;

/** The connection caps of an HTTP surface (the API, the ClickHouse endpoint); docs/SECURITY.md. */
final class ConnectionOptions {

  @Option(names = "--max-connections", paramLabel = "N", description = {"open connections in "
      + "all; beyond it a new one is closed at once"})
  int maxConnections = Limits.DEFAULT_MAX_CONNECTIONS;

  @Option(names = "--max-connections-per-client", paramLabel = "N", description = {"open "
      + "connections from one address (a proxy in front counts as one); beyond it a new one is "
      + "closed at once"})
  int maxConnectionsPerClient = Limits.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;

  /** The limits, or a problem in {@code problems}. */
  Limits limits(Problems problems) {
    return problems.attempt(
        () -> Limits.defaults().withConnections(maxConnections, maxConnectionsPerClient));
  }
}
