package dev.naap.loadtest;

/**
 * One reason a dataset contribution is rejected: the file, the line (1-based; 0 for the file as a
 * whole), the field ({@code ""} when it is about the whole line or file), and what is wrong.
 */
public record DatasetProblem(String source, int line, String field, String message) {

  @Override
  public String toString() {
    String where = line == 0 ? source : source + ":" + line;
    return field.isEmpty() ? where + ": " + message : where + ": field '" + field + "': " + message;
  }
}
