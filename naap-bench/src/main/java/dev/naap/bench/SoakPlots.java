package dev.naap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak's figures ({@link SoakBenchmark}): the columns of its {@code samples.csv}, an SVG line
 * chart per panel, and a text summary (median, p95 and max of each column; growth per hour of
 * memory and disk). Plain SVG written here, so that the report's plots regenerate from the CSV
 * with nothing but the launcher: {@code ./naap bench soak --plot docs/load-test/samples.csv}.
 */
final class SoakPlots {

  static final List<String> COLUMNS =
      List.of(
          "minute",
          "events_per_s",
          "consumer_lag",
          "rollup_lag_s",
          "refresh_s",
          "write_failures",
          "requests_per_s",
          "p50_ms",
          "p95_ms",
          "p99_ms",
          "uncached_p95_ms",
          "errors",
          "demo_rss_mb",
          "serve_rss_mb",
          "disk_mb",
          "load");

  private record Panel(String file, String title, List<String> series) {}

  private static final List<Panel> PANELS = List.of(
      new Panel("throughput.svg", "Ingest: events written per second", List.of("events_per_s")),
      new Panel("backlog.svg", "Kafka consumer lag (records)", List.of("consumer_lag")),
      new Panel("freshness.svg", "Freshness: rollups behind the clock, and one refresh (s)",
          List.of("rollup_lag_s", "refresh_s")),
      new Panel("latency.svg", "API latency over each period (ms)",
          List.of("p50_ms", "p95_ms", "p99_ms", "uncached_p95_ms")),
      new Panel("memory.svg", "Resident memory (MB): demo with its Kafka broker, serve",
          List.of("demo_rss_mb", "serve_rss_mb")),
      new Panel("disk.svg", "Data directory (MB): store and Kafka log", List.of("disk_mb")),
      new Panel("errors.svg", "Non-200 answers per period, ingest write failures, load average",
          List.of("errors", "write_failures", "load")));

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  private static final int WIDTH = 760;
  private static final int HEIGHT = 260;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 36;
  private static final int BOTTOM = 40;

  private SoakPlots() {}

  /** Writes every panel's SVG into {@code dir}. */
  static void write(Path csv, Path dir) throws IOException {
    List<double[]> rows = read(csv);
    for (Panel panel : PANELS) {
      Files.writeString(dir.resolve(panel.file()), svg(panel, rows));
    }
  }

  /** Median, p95 and max of each column, and growth per hour of memory and disk. */
  static String summary(Path csv) throws IOException {
    List<double[]> rows = read(csv);
    StringBuilder out =
        new StringBuilder(
            String.format(Locale.ROOT, "%-16s %10s %10s %10s%n", "column", "median", "p95", "max"));
    for (int c = 1; c < COLUMNS.size(); c++) {
      List<Double> v = column(rows, c);
      out.append(
          String.format(
              Locale.ROOT,
              "%-16s %10.1f %10.1f %10.1f%n",
              COLUMNS.get(c),
              rank(v, 0.5),
              rank(v, 0.95),
              rank(v, 1)));
    }
    if (rows.size() >= 4) {
      // Growth over the second half: the first includes the catch-up after the backfill.
      List<double[]> late = rows.subList(rows.size() / 2, rows.size());
      double hours = (late.getLast()[0] - late.getFirst()[0]) / 60;
      for (String name : List.of("demo_rss_mb", "serve_rss_mb", "disk_mb")) {
        int c = COLUMNS.indexOf(name);
        List<Double> first = column(late.subList(0, 3), c);
        List<Double> last = column(late.subList(late.size() - 3, late.size()), c);
        double from = rank(first, 0.5);
        double to = rank(last, 0.5);
        out.append(
            String.format(
                Locale.ROOT,
                "%s over the second half (medians of 3 samples): %.1f → %.1f,"
                    + " %+.1f per hour%n",
                name,
                from,
                to,
                (to - from) / hours));
      }
    }
    return out.toString();
  }

  private static String svg(Panel panel, List<double[]> rows) {
    double xMax = rows.isEmpty() ? 1 : Math.max(1, rows.getLast()[0]);
    double yMax = 0;
    for (String s : panel.series()) {
      for (double v : column(rows, COLUMNS.indexOf(s))) {
        yMax = Math.max(yMax, v);
      }
    }
    yMax = yMax == 0 ? 1 : niceCeiling(yMax);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\""
                + " height=\"100%%\" fill=\"white\"/>%n",
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n",
            LEFT,
            escape(panel.title())));
    for (int i = 0; i <= 4; i++) {
      double y = TOP + plotH - plotH * i / 4.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT,
              y,
              WIDTH - RIGHT,
              y,
              LEFT - 6,
              y + 4,
              format(yMax * i / 4)));
    }
    for (int i = 0; i <= 5; i++) {
      double x = LEFT + plotW * i / 5.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s min</text>%n",
              x,
              HEIGHT - BOTTOM + 16,
              format(xMax * i / 5)));
    }
    for (int s = 0; s < panel.series().size(); s++) {
      int c = COLUMNS.indexOf(panel.series().get(s));
      StringBuilder points = new StringBuilder();
      for (double[] row : rows) {
        if (!Double.isNaN(row[c])) {
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * row[0] / xMax,
              TOP + plotH - plotH * Math.min(row[c], yMax) / yMax));
        }
      }
      String colour = COLOURS[s % COLOURS.length];
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
              colour,
              points.toString().strip()));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
              LEFT + 150 * s,
              HEIGHT - 8,
              colour,
              escape(panel.series().get(s))));
    }
    return svg.append("</svg>\n").toString();
  }

  private static List<double[]> read(Path csv) throws IOException {
    List<double[]> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      double[] row = new double[COLUMNS.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = i < f.length && !f[i].isEmpty() ? Double.parseDouble(f[i]) : Double.NaN;
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<Double> column(List<double[]> rows, int c) {
    List<Double> v = new ArrayList<>();
    for (double[] row : rows) {
      if (!Double.isNaN(row[c])) {
        v.add(row[c]);
      }
    }
    return v;
  }

  /** Nearest rank; NaN when there is no value. */
  private static double rank(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get((int) Math.max(0, Math.ceil(p * sorted.size()) - 1));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  private static double niceCeiling(double v) {
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
