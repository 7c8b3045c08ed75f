package dev.naap.sim;

import java.util.List;
import java.util.SplittableRandom;

/** A seeded random source with the draws the model needs. Not thread-safe: one per owner. */
final class Rng {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private final SplittableRandom random;

  Rng(long seed) {
    this(new SplittableRandom(seed));
  }

  private Rng(SplittableRandom random) {
    this.random = random;
  }

  /** An independent source whose draws do not disturb this one's sequence beyond this call. */
  Rng split() {
    return new Rng(random.split());
  }

  double uniform() {
    return random.nextDouble();
  }

  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  long between(long lo, long hiInclusive) {
    return random.nextLong(lo, hiInclusive + 1);
  }

  int below(int n) {
    return random.nextInt(n);
  }

  boolean chance(double p) {
    return p > 0 && random.nextDouble() < p;
  }

  double gaussian(double mean, double sd) {
    return mean + sd * random.nextGaussian();
  }

  /** Log-normal with the given median and log-space standard deviation. */
  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  /** Exponential with the given mean. */
  double exponential(double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** Index drawn with probability proportional to {@code weights[i]}. */
  int weighted(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  String hex(int chars) {
    char[] c = new char[chars];
    for (int i = 0; i < chars; i++) {
      c[i] = HEX[random.nextInt(16)];
    }
    return new String(c);
  }

  String alnum(int chars) {
    char[] c = new char[chars];
    for (int i = 0; i < chars; i++) {
      c[i] = ALNUM[random.nextInt(ALNUM.length)];
    }
    return new String(c);
  }

  /** An ETH address in mixed (checksum-like) case, as go-livepeer prints on-chain addresses. */
  String mixedCaseAddress() {
    char[] c = hex(40).toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (Character.isLetter(c[i]) && random.nextBoolean()) {
        c[i] = Character.toUpperCase(c[i]);
      }
    }
    return "0x" + new String(c);
  }

  /** A random (version 4) UUID, drawn from this source so that it is reproducible. */
  String uuid() {
    String h = hex(32);
    char variant = HEX[8 + random.nextInt(4)];
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-" + variant
        + h.substring(17, 20) + "-" + h.substring(20, 32);
  }
}
