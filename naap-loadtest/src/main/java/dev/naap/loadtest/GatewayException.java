package dev.naap.loadtest;

/**
 * A gateway call that failed, already classified; {@code httpStatus} is 0 when there was no answer.
 */
public final class GatewayException extends Exception {
  private final ErrorClass errorClass;
  private final int httpStatus;

  public GatewayException(ErrorClass errorClass, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.httpStatus = httpStatus;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
