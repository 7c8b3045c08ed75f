package dev.naap.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in a child JVM
 * from the Kafka server jars on this process's class path, listening on 127.0.0.1 only.
 *
 * <p>A child process rather than an in-process server, so that the broker's threads, heap and
 * logging stay apart from the caller, and so that tests can kill it. The log directory is formatted
 * on first start and reused afterwards: starting again on the same directory resumes the same
 * topics and offsets. Thread-safe; {@link #close()} stops the child and waits for it.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  /**
   * System property with extra options for the broker's and the format tool's JVMs, separated by
   * whitespace; none when unset. The tests set {@code -XX:TieredStopAtLevel=1} (parent POM): a
   * short-lived broker spends most of its start's CPU in the C2 compiler (docs/STORE.md, "Tests").
   */
  public static final String JVM_OPTIONS_PROPERTY = "naap.kafka.jvmOptions";

  /**
   * How to start the broker.
   *
   * @param logDir where the broker keeps its data (created and formatted when empty)
   * @param port the client port on 127.0.0.1; 0 picks a free one
   * @param maxMessageBytes the largest record batch the broker accepts
   * @param defaultPartitions partitions of automatically created topics
   * @param heapMb the child JVM's maximum heap
   * @param startTimeout how long to wait until the broker answers
   * @param saslSsl a second listener with SASL/PLAIN over TLS (go-livepeer's production setup), or
   *     null for plaintext only
   */
  public record Config(
      Path logDir,
      int port,
      int maxMessageBytes,
      int defaultPartitions,
      int heapMb,
      Duration startTimeout,
      SaslSsl saslSsl) {

    /** Defaults suited to the demo and tests: a free port, 8 MiB messages, 4 partitions. */
    public static Config at(Path logDir) {
      return new Config(logDir, 0, 8 << 20, 4, 512, Duration.ofSeconds(90), null);
    }

    public Config withSaslSsl(SaslSsl listener) {
      return new Config(
          logDir, port, maxMessageBytes, defaultPartitions, heapMb, startTimeout, listener);
    }
  }

  /**
   * A SASL_SSL listener accepting one PLAIN user.
   *
   * @param keystore PKCS12 keystore holding the broker's key and certificate (with a SAN for
   *     127.0.0.1)
   */
  public record SaslSsl(String username, String password, Path keystore, String keystorePassword) {}

  private final Config config;
  private final Process process;
  private final String bootstrapServers;
  private final String saslSslBootstrapServers;

  private KafkaBroker(Config config, Process process, String bootstrapServers,
      String saslSslBootstrapServers) {
    this.config = config;
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.saslSslBootstrapServers = saslSslBootstrapServers;
  }

  /** Formats the log directory if needed, starts the broker and waits until it answers. */
  public static KafkaBroker start(Config config) {
    try {
      Files.createDirectories(config.logDir());
      int port = config.port() == 0 ? freePort() : config.port();
      int controllerPort = freePort();
      int saslPort = config.saslSsl() == null ? 0 : freePort();
      Path properties = config.logDir().resolve("server.properties");
      Path dataDir = config.logDir().resolve("data");
      writeProperties(properties, dataDir, port, controllerPort, saslPort, config);
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        format(properties, config);
      }
      Process process =
          java(config, true, BrokerMain.class.getName(), properties.toString())
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(config.logDir().resolve("broker.log").toFile()))
              .start();
      KafkaBroker broker = new KafkaBroker(config, process, "127.0.0.1:" + port,
          saslPort == 0 ? null : "127.0.0.1:" + saslPort);
      try {
        broker.awaitReady();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka broker in " + config.logDir(), e);
    }
  }

  /** The {@code bootstrap.servers} value for clients. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The {@code bootstrap.servers} of the SASL_SSL listener, or null when there is none. */
  public String saslSslBootstrapServers() {
    return saslSslBootstrapServers;
  }

  /** The child process, for tests that need to kill the broker itself. */
  public Process process() {
    return process;
  }

  /** Creates a topic with the given partition count; an existing topic is left as it is. */
  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic, e.getCause());
        }
      }
      awaitLeaders(admin, topic);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + topic, e);
    }
  }

  /**
   * Returns once every partition of {@code topic} is served by its leader. The creation is
   * acknowledged before the broker leads them: a producer started at once was refused (not the
   * leader), and an idempotent one could then stall on out-of-order sequence numbers until its
   * records expired. The topic's description names a leader as soon as the controller chose it,
   * before the broker acts on it, so each partition's leader is also asked for its end offset,
   * which only a serving leader answers.
   */
  private static void awaitLeaders(Admin admin, String topic)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<TopicPartitionInfo> partitions = describe(admin, topic);
      if (partitions != null && partitions.stream().allMatch(p -> p.leader() != null)) {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        partitions.forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
            OffsetSpec.latest()));
        try {
          admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
          // a leader named but not serving yet: ask again
        }
      }
      if (System.nanoTime() > deadline) {
        throw new java.util.concurrent.TimeoutException("no serving leader for every partition");
      }
      Thread.sleep(50);
    }
  }

  /**
   * The partitions of {@code topic}, or null while the broker does not know the topic yet: the
   * creation can be acknowledged before the broker's metadata has it (a clean-clone CI run failed
   * on "This server does not host this topic-partition" right after creating the topic).
   */
  private static List<TopicPartitionInfo> describe(Admin admin, String topic)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Asks the broker to stop (SIGTERM) without waiting, so that it shuts down while the caller
   * closes other things; {@link #close()} then waits for it. Call it after the clients have closed.
   */
  public void beginStop() {
    if (process.isAlive()) {
      process.destroy();
    }
  }

  /**
   * Stops the broker: a polite SIGTERM first, then a kill after 6 s (a stop of the whole
   * application must end within 10 s; Kafka recovers its log at the next start). Call it after the
   * clients have closed.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(6, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
            + "; see " + config.logDir().resolve("broker.log"));
      }
      try {
        if (!listening()) { // an admin client would log a warning for each refused connection
          Thread.sleep(100);
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        last = e;
      }
    }
    throw new IllegalStateException("Kafka broker did not answer within " + config.startTimeout()
        + "; see " + config.logDir().resolve("broker.log"), last);
  }

  /** Whether the broker's client port accepts connections yet. */
  private boolean listening() {
    int colon = bootstrapServers.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(bootstrapServers.substring(0, colon),
          Integer.parseInt(bootstrapServers.substring(colon + 1))), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Formats the log directory with a new cluster id. CI once saw the tool fail (exit non-zero
   * within 2 s) and its log vanish with the test's directory: a failure is retried once, and one
   * that stays is reported with the tool's output.
   */
  private static void format(Path properties, Config config) throws IOException {
    Path output = config.logDir().resolve("format.log");
    for (int attempt = 1; ; attempt++) {
      long from = Files.exists(output) ? Files.size(output) : 0;
      int exit = formatOnce(properties, config, output);
      if (exit == 0) {
        return;
      }
      String printed;
      try (var in = Files.newInputStream(output)) {
        in.skipNBytes(from);
        printed = new String(in.readNBytes(8_192), StandardCharsets.UTF_8);
      }
      String failure = "formatting the Kafka log directory failed (exit " + exit + "; " + output
          + "):\n" + printed;
      if (attempt == 2) {
        throw new IllegalStateException(failure);
      }
      log.warn("{}\ntrying once more", failure);
    }
  }

  /** The format tool's exit code, or -1 when it did not end within a minute. */
  private static int formatOnce(Path properties, Config config, Path output)
      throws IOException {
    Process format =
        java(
                config,
                false,
                "kafka.tools.StorageTool",
                "format",
                "--ignore-formatted", // a retry skips what a failed attempt did format
                "-t",
                org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c",
                properties.toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        return -1;
      }
      return format.exitValue();
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka log directory", e);
    }
  }

  /** Where {@code setsid} is, or null: without it the child shares the parent's process group. */
  private static final Path SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"))
      .stream().filter(Files::isExecutable).findFirst().orElse(null);

  /**
   * A child JVM running {@code mainClass}; {@code ownSession}: in a session (and process group) of
   * its own, so that signals sent to the parent's group (a terminal's Ctrl-C) do not reach it.
   * {@code setsid} execs the JVM in place, so the process is the JVM itself.
   */
  private static ProcessBuilder java(
      Config config, boolean ownSession, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    if (ownSession && SETSID != null) {
      command.add(SETSID.toString());
    }
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + config.heapMb() + "m",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true"));
    String options = System.getProperty(JVM_OPTIONS_PROPERTY, "").strip();
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("LD_PRELOAD"); // the broker does not load libchdb
    return builder;
  }

  private static void writeProperties(Path file, Path dataDir, int port, int controllerPort,
      int saslPort, Config config) throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String listeners = "PLAINTEXT://127.0.0.1:" + port;
    if (config.saslSsl() != null) {
      SaslSsl s = config.saslSsl();
      listeners += ",SASL_SSL://127.0.0.1:" + saslPort;
      p.setProperty("sasl.enabled.mechanisms", "PLAIN");
      p.setProperty("listener.name.sasl_ssl.plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
              + s.username() + "=\"" + s.password() + "\";");
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.location", s.keystore().toString());
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.password", s.keystorePassword());
      p.setProperty("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
      p.setProperty("ssl.enabled.protocols", "TLSv1.2,TLSv1.3");
    }
    p.setProperty("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", listeners);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map",
        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL");
    p.setProperty("log.dirs", dataDir.toString());
    p.setProperty("num.partitions", Integer.toString(config.defaultPartitions()));
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("message.max.bytes", Integer.toString(config.maxMessageBytes()));
    p.setProperty("replica.fetch.max.bytes", Integer.toString(config.maxMessageBytes()));
    p.setProperty("log.retention.hours", "168");
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, "written by NaaP; regenerated at every start");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
