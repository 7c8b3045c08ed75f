package dev.naap.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Plain decimal strings as Go writes them ({@code big.Int.String}, {@code big.Rat.FloatString}):
 * an optional minus, digits, and an optional point with digits. No exponents, signs or spaces, so
 * a hostile {@code "1e999999999"} can never become a huge number.
 */
final class Decimals {
  /** Longest accepted decimal string; a uint256 has 78 digits. */
  static final int MAX_CHARS = 100;

  private static final int WEI_PER_ETH_SCALE = 18;

  private Decimals() {}

  /** Parses {@code -?digits(.digits)?}, or empty when {@code s} has any other form. */
  static Optional<BigDecimal> parse(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_CHARS) {
      return Optional.empty();
    }
    int i = s.charAt(0) == '-' ? 1 : 0;
    int digitsBefore = countDigits(s, i);
    i += digitsBefore;
    if (digitsBefore == 0) {
      return Optional.empty();
    }
    if (i < n) {
      if (s.charAt(i) != '.') {
        return Optional.empty();
      }
      int digitsAfter = countDigits(s, i + 1);
      if (digitsAfter == 0 || i + 1 + digitsAfter != n) {
        return Optional.empty();
      }
    }
    return Optional.of(new BigDecimal(s));
  }

  /**
   * A go-livepeer {@code eth.FormatUnits(v, "ETH")} amount in wei: {@code "<integer> WEI"} below
   * 0.01 ETH, {@code "<decimal> ETH"} from there on. Units are matched case-insensitively. Empty
   * when the text has another form or the ETH amount has more than 18 decimals.
   */
  static Optional<BigInteger> parseWei(String s) {
    int space = s.lastIndexOf(' ');
    if (space <= 0) {
      return Optional.empty();
    }
    String unit = s.substring(space + 1);
    Optional<BigDecimal> amount = parse(s.substring(0, space));
    if (amount.isEmpty() || amount.get().signum() < 0) {
      return Optional.empty();
    }
    BigDecimal value = amount.get();
    if (unit.equalsIgnoreCase("WEI")) {
      return value.scale() > 0 ? Optional.empty() : Optional.of(value.toBigInteger());
    }
    if (unit.equalsIgnoreCase("ETH")) {
      BigDecimal wei = value.movePointRight(WEI_PER_ETH_SCALE);
      return wei.stripTrailingZeros().scale() > 0
          ? Optional.empty()
          : Optional.of(wei.toBigInteger());
    }
    return Optional.empty();
  }

  /** The number in {@code "<decimal> <unit>"} when the unit matches case-insensitively. */
  static Optional<BigDecimal> parseWithUnit(String s, String unit) {
    int space = s.lastIndexOf(' ');
    if (space <= 0 || !s.substring(space + 1).equalsIgnoreCase(unit)) {
      return Optional.empty();
    }
    return parse(s.substring(0, space));
  }

  private static int countDigits(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i - from;
  }
}
