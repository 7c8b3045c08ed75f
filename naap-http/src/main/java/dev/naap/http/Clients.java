package dev.naap.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Who a remote address is, as every per-client limit counts it. */
public final class Clients {

  private Clients() {}

  /**
   * The client {@code address} counts as: an IPv4 address alone, an IPv6 one by its /64 ({@link
   * Limits#IPV6_CLIENT_PREFIX_BYTES}), as the API's quotas count it; counted by address, a host
   * with a /64 would be 2^64 clients.
   */
  public static InetAddress of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] network = address.getAddress();
    Arrays.fill(network, Limits.IPV6_CLIENT_PREFIX_BYTES, network.length, (byte) 0);
    try {
      return InetAddress.getByAddress(network);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }
}
