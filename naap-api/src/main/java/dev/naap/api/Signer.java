package dev.naap.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures with the server's secret, for values the server hands out and must
 * recognise later unchanged: cursors and dashboard tokens. Thread-safe.
 */
final class Signer {

  private static final int SIGNATURE_BYTES = 16;
  private final SecretKeySpec key;

  Signer(byte[] secret) {
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** A URL-safe signature of {@code text}. */
  String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] full = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(Arrays.copyOf(full, SIGNATURE_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Whether {@code signature} is the signature of {@code text}, compared in constant time. */
  boolean verify(String text, String signature) {
    return MessageDigest.isEqual(sign(text).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.UTF_8));
  }
}
