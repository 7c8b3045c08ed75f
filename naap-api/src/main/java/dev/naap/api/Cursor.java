package dev.naap.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A page position: the offset of the next row and the resolved range of the first page, so that a
 * relative window ({@code window=24h}) does not slide between pages. Encoded opaquely and signed
 * together with the normalised query, so a cursor is refused with any other parameters.
 */
record Cursor(long offset, Instant start, Instant end) {

  String encode(Signer signer, String normalisedQuery) {
    String body = offset + "." + start.toEpochMilli() + "." + end.toEpochMilli();
    String signed = body + "." + signer.sign(body + "|" + normalisedQuery);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(signed.getBytes(StandardCharsets.US_ASCII));
  }

  static Cursor decode(String text, Signer signer, String normalisedQuery) {
    try {
      String signed = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
      String[] parts = signed.split("\\.", -1);
      if (parts.length == 4) {
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        if (signer.verify(body + "|" + normalisedQuery, parts[3])) {
          return new Cursor(
              Long.parseLong(parts[0]),
              Instant.ofEpochMilli(Long.parseLong(parts[1])),
              Instant.ofEpochMilli(Long.parseLong(parts[2])));
        }
      }
    } catch (IllegalArgumentException e) {
      // Not base64 or not numbers: the same answer as a bad signature.
    }
    throw ApiProblem.badParameter(Params.CURSOR,
        "not a cursor this server issued for these parameters; start again without a cursor");
  }
}
