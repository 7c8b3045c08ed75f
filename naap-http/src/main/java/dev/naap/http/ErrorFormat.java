package dev.naap.http;

/**
 * How a surface words the errors its server answers before any handler runs (a malformed request
 * line, a bad {@code Content-Length}, headers too large): the API's problem+json, the ClickHouse
 * facade's plain text. The detail never names a Java class.
 */
public interface ErrorFormat {

  /** Plain text, {@code "<title>: <detail>"}: the ClickHouse facade, metrics, simulated gateway. */
  ErrorFormat PLAIN_TEXT = new ErrorFormat() {
    @Override
    public String contentType() {
      return "text/plain; charset=UTF-8";
    }

    @Override
    public byte[] body(int status, String title, String detail) {
      return (title + ": " + detail + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  };

  /** The {@code Content-Type} of every error body. */
  String contentType();

  /**
   * The body of an error.
   *
   * @param status the HTTP status, such as 400
   * @param title its reason phrase, such as {@code Bad Request}
   * @param detail what was wrong, in a sentence
   */
  byte[] body(int status, String title, String detail);
}
