package dev.naap.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned SQL migrations: {@code dev/naap/store/migrations/V<digits>__<name>.sql} on the class
 * path, applied in version order and recorded in the table {@code schema_migrations} of the
 * store's database. Thread-safe.
 *
 * <p>Rules (docs/STORE.md, "Migrations"): every statement must be safe to run twice and to run
 * from two processes at once ({@code IF NOT EXISTS}), because two processes starting together both
 * apply a pending migration; a file that was applied must never change (its checksum is checked
 * on every start); statements are separated by {@code ;} and may have {@code --} comments. {@code
 * V001} creates {@code schema_migrations} itself and is run before that table is read.
 */
public final class Migrations {
  /** Where migrations live on the class path. */
  public static final String LOCATION = "dev/naap/store/migrations";

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  /** How long a migration waits for the inserts that were running when it was due. */
  private static final Duration INSERT_WAIT = Duration.ofSeconds(120);
  private static volatile List<Migration> cached;

  /** A stop asked for while migrations were pending; the store is left as far as it got. */
  public static final class Stopped extends RuntimeException {
    Stopped(String next) {
      super("stopped before migration " + next);
    }
  }

  /** One migration file. */
  record Migration(int version, String label, String name, String checksum,
      List<String> statements) {}

  private Migrations() {}

  /**
   * Applies every migration that {@code store}'s database does not have yet.
   *
   * @return the versions newly applied, such as {@code ["V001", "V002"]}; empty when up to date
   * @throws StoreException when an applied migration's file has changed, or a statement fails
   */
  public static List<String> apply(Store store) {
    return apply(store, all(), List::of);
  }

  /**
   * As {@link #apply(Store)}, on every node of the ClickHouse cluster {@code cluster} that {@code
   * store}'s server belongs to: each statement as {@link ClusterDdl} rewrites it.
   */
  public static List<String> apply(Store store, String cluster) {
    return apply(store, all(), sql -> ClusterDdl.rewrite(sql, cluster));
  }

  /**
   * Applies the migrations found under {@link #LOCATION} on {@code loader}'s class path instead of
   * this release's: how a test builds the store of an earlier release to upgrade it.
   */
  public static List<String> apply(Store store, ClassLoader loader) {
    return apply(store, discover(loader), List::of);
  }

  static List<String> apply(Store store, List<Migration> migrations) {
    return apply(store, migrations, List::of);
  }

  /**
   * As {@link #apply(Store)} or, with a {@code cluster}, {@link #apply(Store, String)}; before
   * each pending migration asks {@code stopping}, and when it is true stops there.
   *
   * @throws Stopped when {@code stopping} said so before the last pending migration
   */
  public static List<String> apply(Store store, String cluster, BooleanSupplier stopping) {
    return apply(store, all(), cluster == null ? List::of : sql -> ClusterDdl.rewrite(sql, cluster),
        stopping);
  }

  private static List<String> apply(Store store, List<Migration> migrations,
      Function<String, List<String>> ddl) {
    return apply(store, migrations, ddl, () -> false);
  }

  /**
   * Applies {@code migrations}, each statement as {@code ddl} makes it for this store. Stops
   * between two migrations when {@code stopping} says so: a migration is the unit that is
   * recorded, so the next start applies the rest (a stop must not wait for every pending one).
   */
  private static List<String> apply(Store store, List<Migration> migrations,
      Function<String, List<String>> ddl, BooleanSupplier stopping) {
    if (migrations.isEmpty()) {
      return List.of();
    }
    Migration bootstrap = migrations.getFirst();
    if (bootstrap.version() != 1) {
      throw new IllegalStateException("no V001 migration (it creates schema_migrations)");
    }
    for (String sql : bootstrap.statements()) {
      ddl.apply(sql).forEach(store::execute);
    }
    Map<Integer, List<String>> applied = applied(store);
    List<String> newlyApplied = new ArrayList<>();
    for (Migration m : migrations) {
      List<String> checksums = applied.get(m.version());
      if (checksums != null) {
        for (String recorded : checksums) {
          if (!recorded.equals(m.checksum())) {
            throw new StoreException(0, "migration " + m.label() + "__" + m.name()
                + ".sql was applied to database " + store.database() + " with checksum "
                + recorded + " but the file now has checksum " + m.checksum()
                + "; never edit an applied migration, add a new one", null);
          }
        }
        continue;
      }
      if (stopping.getAsBoolean()) {
        throw new Stopped(m.label() + "__" + m.name());
      }
      long t0 = System.nanoTime();
      awaitInsertsRunning(store);
      for (String sql : m.statements()) {
        ddl.apply(sql).forEach(store::execute);
      }
      store.query("INSERT INTO schema_migrations (version, name, checksum)"
              + " SELECT {version:UInt32}, {name:String}, {checksum:String}",
          Map.of("version", m.version(), "name", m.name(), "checksum", m.checksum()),
          "TabSeparated");
      newlyApplied.add(m.label());
      log.info("applied migration {}__{} to {} in {} ms", m.label(), m.name(), store.database(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    for (int version : applied.keySet()) {
      if (migrations.stream().noneMatch(m -> m.version() == version)) {
        log.warn("database {} has migration version {} that this build does not know; it was"
            + " probably applied by a newer build", store.database(), version);
      }
    }
    return Collections.unmodifiableList(newlyApplied);
  }

  /**
   * Whether {@code store} holds every migration of this release with its checksum, so that opening
   * it needs no statement but this read. False when its ledger cannot be read (a new store).
   */
  static boolean upToDate(Store store) {
    Map<Integer, List<String>> applied;
    try {
      applied = applied(store);
    } catch (StoreException e) {
      return false; // no database or no ledger yet
    }
    return all().stream().allMatch(m -> List.of(m.checksum()).equals(applied.get(m.version())));
  }

  /**
   * Waits until the inserts running now have ended. An insert that began before a migration
   * created a materialized view, and committed after the migration copied what the source table
   * held, is in neither; the next migration starts only when such inserts are done, so one that
   * repairs what an earlier one could not see (V101) sees them all. Bounded: an insert still
   * running after {@link #INSERT_WAIT} is logged and left.
   */
  private static void awaitInsertsRunning(Store store) {
    List<String> running = store.queryText("SELECT query_id FROM system.processes"
        + " WHERE query_kind = 'Insert'", Map.of()).lines().toList();
    long deadline = System.nanoTime() + INSERT_WAIT.toNanos();
    while (!running.isEmpty()
        && !store
            .queryText(
                "SELECT count() FROM system.processes"
                    + " WHERE has({ids:Array(String)}, query_id)",
                Map.of("ids", running))
            .strip()
            .equals("0")) {
      if (System.nanoTime() > deadline) {
        log.warn(
            "{} inserts still run after {}; migrating without waiting for them",
            running.size(),
            INSERT_WAIT);
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(0, "interrupted while waiting for running inserts", null, e);
      }
    }
  }

  /**
   * version → every checksum recorded for it. Two processes starting at once may both record a
   * version, so there can be several rows per version.
   */
  private static Map<Integer, List<String>> applied(Store store) {
    String tsv = store.queryText(
        "SELECT version, arrayStringConcat(arraySort(groupUniqArray(checksum)), ',')"
            + " FROM schema_migrations GROUP BY version ORDER BY version", Map.of());
    Map<Integer, List<String>> out = new TreeMap<>();
    for (String line : tsv.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.put(Integer.parseInt(f[0]), List.of(f[1].split(",")));
    }
    return out;
  }

  /** Every migration on the class path, in version order. */
  static List<Migration> all() {
    List<Migration> m = cached;
    if (m == null) {
      m = discover(Migrations.class.getClassLoader());
      cached = m;
    }
    return m;
  }

  static List<Migration> discover(ClassLoader loader) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      for (URL url : Collections.list(loader.getResources(LOCATION))) {
        listInto(url, files);
      }
      if (files.isEmpty()) {
        listOwnJar(files);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list migrations in " + LOCATION, e);
    }
    return parseAll(files);
  }

  static List<Migration> parseAll(Map<String, byte[]> files) {
    Map<Integer, Migration> byVersion = new TreeMap<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Migration m = parse(f.getKey(), f.getValue());
      Migration clash = byVersion.put(m.version(), m);
      if (clash != null) {
        throw new IllegalStateException("two migrations have version " + m.version() + ": "
            + clash.label() + "__" + clash.name() + ".sql and " + f.getKey());
      }
    }
    return List.copyOf(byVersion.values());
  }

  /** Parses one file named {@code V<digits>__<name>.sql}. */
  static Migration parse(String fileName, byte[] content) {
    Matcher fm = FILE.matcher(fileName);
    if (!fm.matches()) {
      throw new IllegalStateException(
          "migration file " + fileName + " is not named V<digits>__<name>.sql");
    }
    String text = new String(content, StandardCharsets.UTF_8).replace("\r\n", "\n");
    List<String> statements = SqlText.split(text);
    if (statements.isEmpty()) {
      throw new IllegalStateException("migration " + fileName + " has no statement");
    }
    return new Migration(Integer.parseInt(fm.group(1)), "V" + fm.group(1), fm.group(2),
        sha256(text), List.copyOf(statements));
  }

  private static void listInto(URL url, Map<String, byte[]> files) throws IOException {
    switch (url.getProtocol()) {
      case "file" -> {
        Path dir;
        try {
          dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
          throw new IOException("bad migrations URL " + url, e);
        }
        try (Stream<Path> s = Files.list(dir)) {
          for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".sql")).toList()) {
            put(files, p.getFileName().toString(), Files.readAllBytes(p), p.toString());
          }
        }
      }
      case "jar" -> {
        JarURLConnection c = (JarURLConnection) url.openConnection();
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
          listJar(jar, files);
        }
      }
      default -> throw new IOException("cannot list migrations at " + url
          + "; only directories and jar files are supported");
    }
  }

  /** For jars built without directory entries, which {@code getResources} cannot find. */
  private static void listOwnJar(Map<String, byte[]> files) throws IOException {
    CodeSource source = Migrations.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return;
    }
    try {
      Path jar = Path.of(source.getLocation().toURI());
      if (Files.isRegularFile(jar)) {
        try (JarFile j = new JarFile(jar.toFile())) {
          listJar(j, files);
        }
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Not a plain file: nothing more to try.
    }
  }

  private static void listJar(JarFile jar, Map<String, byte[]> files) throws IOException {
    String prefix = LOCATION + "/";
    for (JarEntry e : Collections.list(jar.entries())) {
      String name = e.getName();
      if (!e.isDirectory() && name.startsWith(prefix) && name.endsWith(".sql")
          && name.indexOf('/', prefix.length()) < 0) {
        try (InputStream in = jar.getInputStream(e)) {
          put(
              files,
              name.substring(prefix.length()),
              in.readAllBytes(),
              jar.getName() + "!/" + name);
        }
      }
    }
  }

  private static void put(
      Map<String, byte[]> files, String fileName, byte[] content, String where) {
    byte[] previous = files.put(fileName, content);
    if (previous != null && !java.util.Arrays.equals(previous, content)) {
      throw new IllegalStateException("migration " + fileName + " exists twice on the class path"
          + " with different contents (one is " + where + ")");
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
