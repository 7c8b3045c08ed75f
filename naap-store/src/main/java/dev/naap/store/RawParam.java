package dev.naap.store;

import java.util.Objects;

/**
 * A query parameter value that is already in ClickHouse's text form, exactly as the HTTP interface
 * takes it in {@code param_<name>}: TSV-escaped for scalars, an array/map/tuple literal for
 * composite types, {@code \N} for NULL. It is passed on verbatim. This is the escape hatch for
 * types that {@link Store} does not map (Map, Tuple, UUID, IPv4...) and for proxies that forward
 * parameters they did not produce.
 */
public record RawParam(String text) {
  public RawParam {
    Objects.requireNonNull(text, "text");
  }
}
