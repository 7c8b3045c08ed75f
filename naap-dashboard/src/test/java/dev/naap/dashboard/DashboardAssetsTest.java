package dev.naap.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardAssetsTest {

  @Test
  void classpathLocations_holdTheFilesThePagesLoad() {
    ClassLoader loader = DashboardAssets.class.getClassLoader();
    assertThat(loader.getResource(DashboardAssets.SITE + "index.html")).isNotNull();
    assertThat(loader.getResource(DashboardAssets.UPLOT + "uPlot.esm.js"))
        .as("uPlot's version in DashboardAssets.UPLOT is the one the root pom manages").isNotNull();
    assertThat(loader.getResource(DashboardAssets.UPLOT + "uPlot.min.css")).isNotNull();
  }
}
