package dev.naap.metrics.query;

/**
 * A query the report cannot answer, naming the request parameter at fault ({@code group_by},
 * {@code sort} or a filter's dimension); the message is written for the caller. The API answers it
 * with a 400 that names the parameter.
 */
public final class InvalidQueryException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The parameter of a grouping. */
  public static final String GROUP_BY = "group_by";
  /** The parameter of a sort column. */
  public static final String SORT = "sort";

  private final String parameter;

  public InvalidQueryException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The parameter at fault. */
  public String parameter() {
    return parameter;
  }
}
