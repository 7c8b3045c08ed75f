package dev.naap.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and parsing migration files; applying them is in {@link StoreContractTest}. */
class MigrationsTest {
  static final Path SOURCE_DIR = Path.of("src/main/resources/dev/naap/store/migrations");

  @Test
  void shipped_everyFileIsWellFormedAndV001ComesFirst() throws IOException {
    try (Stream<Path> files = Files.list(SOURCE_DIR)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).allSatisfy(n -> assertThat(n).matches("V\\d+__[A-Za-z0-9_]+\\.sql"));
      assertThat(Migrations.all()).hasSize(names.size());
    }
    Migrations.Migration first = Migrations.all().getFirst();
    assertThat(first.label()).isEqualTo("V001");
    assertThat(first.statements()).singleElement().asString()
        .startsWith("CREATE TABLE IF NOT EXISTS schema_migrations");
  }

  @Test
  void shipped_statementsAreIdempotentDdl() {
    for (Migrations.Migration m : Migrations.all()) {
      for (String sql : m.statements()) {
        assertThat(sql.replaceAll("\\s+", " ").toUpperCase())
            .as("%s must be safe to run twice", m.label())
            .containsAnyOf(
                "IF NOT EXISTS",
                "IF EXISTS",
                "INSERT INTO",
                "CREATE OR REPLACE TABLE",
                "CREATE OR REPLACE VIEW",
                "MODIFY QUERY", // a materialized view's query replaced in place, twice the same
                "MATERIALIZE INDEX");
      }
    }
  }

  @Test
  void parse_splitsStatementsAndChecksumsTheNormalisedText() {
    Migrations.Migration m =
        Migrations.parse(
            "V007__two_tables.sql",
            "-- two\r\nCREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;\r\nCREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;\r\n"
                .getBytes(UTF_8));
    assertThat(m.version()).isEqualTo(7);
    assertThat(m.label()).isEqualTo("V007");
    assertThat(m.name()).isEqualTo("two_tables");
    assertThat(m.statements()).hasSize(2);
    Migrations.Migration unix =
        Migrations.parse(
            "V007__two_tables.sql",
            "-- two\nCREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;\nCREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;\n"
                .getBytes(UTF_8));
    assertThat(unix.checksum()).isEqualTo(m.checksum()).hasSize(64);
  }

  @Test
  void parse_rejectsBadNamesEmptyFilesAndDuplicateVersions() {
    assertThatThrownBy(() -> Migrations.parse("V1_bad.sql", "SELECT 1".getBytes(UTF_8)))
        .hasMessageContaining("V<digits>__<name>.sql");
    assertThatThrownBy(() -> Migrations.parse("V002__empty.sql", "-- nothing\n".getBytes(UTF_8)))
        .hasMessageContaining("no statement");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("V002__a.sql", "SELECT 1".getBytes(UTF_8));
    files.put("V0002__b.sql", "SELECT 2".getBytes(UTF_8));
    assertThatThrownBy(() -> Migrations.parseAll(files))
        .hasMessageContaining("two migrations have version 2");
  }

  @Test
  void discover_readsDirectoriesAndJarsWithOrWithoutDirectoryEntries(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("exploded/" + Migrations.LOCATION);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("V001__first.sql"), "CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;");
    Files.writeString(
        dir.resolve("V010__tenth.sql"), "CREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;");
    Files.writeString(dir.resolve("README.txt"), "not a migration");
    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {tmp.resolve("exploded").toUri().toURL()}, null)) {
      assertThat(Migrations.discover(cl)).extracting(Migrations.Migration::label)
          .containsExactly("V001", "V010");
    }
    Path jar = tmp.resolve("m.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("dev/"));
      j.putNextEntry(new JarEntry("dev/naap/"));
      j.putNextEntry(new JarEntry("dev/naap/store/"));
      j.putNextEntry(new JarEntry(Migrations.LOCATION + "/"));
      j.putNextEntry(new JarEntry(Migrations.LOCATION + "/V001__first.sql"));
      j.write("CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;".getBytes(UTF_8));
      j.putNextEntry(new JarEntry(Migrations.LOCATION + "/V002__second.sql"));
      j.write("CREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = Memory;".getBytes(UTF_8));
    }
    try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(Migrations.discover(cl)).extracting(Migrations.Migration::label)
          .containsExactly("V001", "V002");
    }
  }
}
