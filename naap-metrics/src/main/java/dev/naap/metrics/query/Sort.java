package dev.naap.metrics.query;

/** Order rows by one column of the report; ties are broken by the remaining key columns. */
public record Sort(String column, boolean descending) {}
