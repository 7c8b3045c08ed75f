package dev.naap.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code 127.0.0.1} or {@code fd00::/8}. Immutable.
 */
record Cidr(byte[] network, int prefix) {

  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  /** Parses a literal address with an optional {@code /prefix}; never resolves a name. */
  static Cidr parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String host = slash < 0 ? s : s.substring(0, slash);
    byte[] address = literal(host);
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      prefix = Integer.parseInt(p);
    }
    return new Cidr(address, prefix);
  }

  /**
   * The bytes of an IP literal, or null when {@code text} is not one (a name is never looked up).
   */
  static byte[] literal(String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || t.length() > 45 || !LITERAL.matcher(t).matches()
        || (!t.contains(":") && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }
}
