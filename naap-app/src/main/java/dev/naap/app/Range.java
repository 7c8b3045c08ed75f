package dev.naap.app;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a numeric option accepts, beside its {@code @Option}: checked after parsing (every
 * option out of range is reported at once) and shown in the help ({@link Cli}). Public for the
 * benchmarks' command line (naap-bench), which naap-app's machinery builds too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Range {
  double min();

  double max();
}
