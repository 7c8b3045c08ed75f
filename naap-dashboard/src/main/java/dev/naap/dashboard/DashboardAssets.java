package dev.naap.dashboard;

/**
 * Where the dashboard's files are on the classpath, for the server that mounts them. The
 * dashboard is static: HTML, CSS and JavaScript modules that read only the public API, plus uPlot
 * from its webjar for the charts (bundled, never fetched from a CDN).
 *
 * <pre>{@code
 * server.mount(DashboardAssets.SITE_PATH, DashboardAssets.SITE);    // "/"
 * server.mount(DashboardAssets.UPLOT_PATH, DashboardAssets.UPLOT);  // "/assets/uplot/"
 * }</pre>
 */
public final class DashboardAssets {
  /**
   * Classpath directory of the site (index.html and what it loads), served at {@link #SITE_PATH}.
   */
  public static final String SITE = "dev/naap/dashboard/static/";

  /** URL path the site is served at. */
  public static final String SITE_PATH = "/";

  /**
   * Classpath directory of uPlot's dist files (version as in the root pom), served at {@link
   * #UPLOT_PATH}.
   */
  public static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** URL path the pages load uPlot from ({@code uPlot.esm.js}, {@code uPlot.min.css}). */
  public static final String UPLOT_PATH = "/assets/uplot/";

  private DashboardAssets() {}
}
