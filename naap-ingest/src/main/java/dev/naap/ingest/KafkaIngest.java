package dev.naap.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes go-livepeer's topics into the store, at least once, with nothing lost.
 *
 * <h2>Delivery</h2>
 * Messages are gathered into a batch until it holds {@code batchMaxEvents}, or messages of {@link
 * KafkaIngestConfig#MAX_BATCH_BYTES} in all, or its first message has waited {@code batchMaxWait}
 * (a poll that brings more is cut there, the rest starting the next batch). The batch is
 * validated and encoded on the consumer thread (with the common fork-join pool), then written to
 * the store on one of {@link #WRITERS} writer threads once one is free, while the consumer goes on
 * reading. Only after a batch's write returned, and the
 * writes of every batch before it, are its offsets committed, always on the consumer thread and in
 * batch order. A crash between write and commit means the batch is read again after restart; the
 * tables collapse the repeated rows by key, so every reader that uses FINAL sees each event once.
 *
 * <p>A write that fails is first written by halves ({@link Bisection}): a message the store
 * refuses on its own while it takes other writes is quarantined, so that one message cannot stall
 * the ingest. Whatever is still not written then (the store refuses everything, or is down)
 * rewinds the consumer to the first message neither stored nor quarantined in each partition
 * (dropping the batch being gathered too; offsets are committed up to that message, never past
 * it) and is retried with capped exponential backoff: the loop never skips data and never stops
 * on bad input (bad messages are quarantined, not thrown). A batch's messages are therefore kept
 * until its write returns.
 *
 * <p>{@link #run()} blocks on the calling thread; {@link #stop()} may be called from any thread
 * and makes {@code run} commit the batches being written once they are, then return; what it read
 * and had not begun to write is not committed, so the next start reads it again.
 */
public final class KafkaIngest implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(KafkaIngest.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /**
   * How long closing the consumer, and each commit once a stop is asked for, may take: an
   * application stop must end within 10 s (Kafka's own default is 60 s).
   */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
  /** Batches written at once: an insert keeps one core busy, and the consumer needs the other. */
  static final int WRITERS = 2;

  private final KafkaIngestConfig config;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final long maxBatchBytes;
  private final Bisection bisection;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  // Consumer-thread state: the batch being gathered with its first offset per partition, and the
  // batches being written, oldest first. A failure rewinds each partition to the earliest of those
  // first offsets.
  private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
  private final Map<TopicPartition, Long> pendingFrom = new HashMap<>();
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private long pendingBytes;
  private long pendingSinceNanos;
  private Duration backoff =
      FIRST_BACKOFF; // grows with failed writes, back to the first after a commit
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile BatchResult total = BatchResult.EMPTY;

  public KafkaIngest(KafkaIngestConfig config, EventWriter writer, IngestMetrics metrics) {
    this(config, writer, metrics, KafkaIngestConfig.MAX_BATCH_BYTES);
  }

  /** With another byte limit per batch, so that tests need not move 32 MiB to reach it. */
  KafkaIngest(KafkaIngestConfig config, EventWriter writer, IngestMetrics metrics,
      long maxBatchBytes) {
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
    this.maxBatchBytes = maxBatchBytes;
    this.bisection = new Bisection(writer, stopping::get);
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      return; // stopped before it started
    }
    ExecutorService writerThreads = Executors.newFixedThreadPool(WRITERS,
        Thread.ofPlatform().name("naap-ingest-writer-", 1).factory());
    Consumer<byte[], byte[]> c = new KafkaConsumer<>(config.consumerProperties(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      consumer = c;
      if (stopping.get()) {
        return; // stop() came before the consumer existed: it could not wake it
      }
      c.subscribe(config.topics(), new DrainOnRevoke());
      log.info("ingesting {}", config);
      while (!stopping.get()) {
        try {
          poll(c);
          while (!inFlight.isEmpty() && inFlight.peek().result.isDone()) {
            commitOldest(c);
          }
          while (batchIsDue()) {
            submit(c, writerThreads);
          }
        } catch (WakeupException e) {
          // stop() was called; the loop condition ends it
        } catch (FencedInstanceIdException e) {
          log.error("another consumer of group {} runs with the same instance id {}; give each"
              + " ingest its own --instance-id. Stopping.", config.groupId(), config.instanceId());
          stopping.set(true);
        } catch (RuntimeException e) {
          metrics.writeFailed();
          log.warn("batch not written, reading again from the first message not stored in {}: {}",
              backoff, e.toString());
          rewind(c);
          pause(backoff);
          backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        }
      }
      try {
        finishWrites(c);
      } catch (RuntimeException e) {
        // Written or not, what is not committed is read again at the next start and stored once.
        log.warn("stopping without committing all of the last batches read ({}): the next start"
            + " reads the rest again", e.toString());
      }
    } finally {
      writerThreads.shutdownNow();
      // Bounded: a consumer stopped mid-join must not hold the stop for the default 30 s. A static
      // member stays in the group, so its successor (same instance id) takes its partitions back.
      try {
        c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
      } catch (RuntimeException e) {
        log.warn("Kafka consumer did not close cleanly: {}", e.toString());
      }
      stopped.countDown();
    }
  }

  /**
   * Asks {@link #run()} to finish the writes under way, commit them and return; waits until it
   * has.
   */
  public void stop() {
    if (started.compareAndSet(false, true)) {
      stopping.set(true); // run() had not started and now never will
      stopRequested.countDown();
      stopped.countDown();
      return;
    }
    if (stopping.compareAndSet(false, true)) {
      stopRequested.countDown();
      if (consumer != null) {
        consumer.wakeup();
      }
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Totals since start. A message written in a batch that is then read again (a failure after
   * part of it was written) counts each time.
   */
  public BatchResult total() {
    return total;
  }

  private void poll(Consumer<byte[], byte[]> c) {
    var records = c.poll(POLL_TIMEOUT);
    if (!records.isEmpty() && pending.isEmpty()) {
      pendingSinceNanos = System.nanoTime();
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      pending.add(r);
      pendingBytes += bytes(r);
      pendingFrom.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
    }
  }

  private boolean batchIsDue() {
    return !pending.isEmpty() && (pending.size() >= config.batchMaxEvents()
        || pendingBytes >= maxBatchBytes
        || System.nanoTime() - pendingSinceNanos >= config.batchMaxWait().toNanos());
  }

  /**
   * How many of the pending messages the next batch takes: up to {@code batchMaxEvents}, and up
   * to the one that brings it to {@link #maxBatchBytes} (at least one, however large).
   */
  private int batchLength() {
    long bytes = 0;
    int n = 0;
    while (n < pending.size() && n < config.batchMaxEvents() && bytes < maxBatchBytes) {
      bytes += bytes(pending.get(n++));
    }
    return n;
  }

  private static long bytes(ConsumerRecord<byte[], byte[]> r) {
    return r.value() == null ? 0 : r.value().length;
  }

  /**
   * Validates and encodes the gathered batch here, and writes it on a writer thread once one is
   * free: it is prepared while the batches before it are still being written.
   */
  private void submit(Consumer<byte[], byte[]> c, ExecutorService writerThreads) {
    List<ConsumerRecord<byte[], byte[]>> taken = pending.subList(0, batchLength());
    List<Message> batch = new ArrayList<>(taken.size());
    Map<TopicPartition, Long> from = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long bytes = 0;
    for (ConsumerRecord<byte[], byte[]> r : taken) {
      batch.add(new Message(r.value(), Origin.kafka(r.topic(), r.partition(), r.offset())));
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      from.putIfAbsent(tp, r.offset());
      offsets.merge(tp, new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
      bytes += bytes(r);
    }
    EventWriter.Prepared prepared = writer.prepare(batch);
    while (inFlight.size() >= WRITERS) {
      commitOldest(c); // if it throws, this batch is still pending: rewind() reads it again
    }
    inFlight.add(new InFlight(
        writerThreads.submit(() -> write(batch, prepared, offsets)), from));
    taken.clear();
    pendingBytes -= bytes;
    pendingFrom.clear();
    for (ConsumerRecord<byte[], byte[]> r : pending) {
      pendingFrom.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
    }
    if (!pending.isEmpty()) {
      pendingSinceNanos = System.nanoTime(); // the rest came with the last poll
    }
  }

  /**
   * Writes a batch, on a writer thread. If the store refuses it, writes it by halves to quarantine
   * what the store will not take; what is then still not written is read again.
   */
  private Written write(List<Message> batch, EventWriter.Prepared prepared,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      return new Written(writer.write(prepared), offsets, Map.of(), null);
    } catch (RuntimeException e) {
      return written(batch, bisection.isolate(batch, e));
    }
  }

  /**
   * A batch written in part: in each partition, the offsets up to its first message neither stored
   * nor quarantined are committed, and reading starts again at that message, since a commit says
   * that everything before it is done.
   */
  private static Written written(List<Message> batch, Bisection.Outcome outcome) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    Map<TopicPartition, Long> readAgain = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) { // in batch order, so in offset order per partition
      Origin o = batch.get(i).origin();
      TopicPartition tp = new TopicPartition(o.topic(), o.partition());
      if (readAgain.containsKey(tp)) {
        continue; // after a message not done: read again, done or not
      }
      if (outcome.done().get(i)) {
        commit.put(tp, new OffsetAndMetadata(o.offset() + 1));
      } else {
        readAgain.put(tp, o.offset());
      }
    }
    return new Written(outcome.written(), commit, readAgain, outcome.failure());
  }

  /**
   * Waits for the oldest batch being written, then commits its offsets: the order is the guarantee.
   * Of a batch written in part, commits the part before the first message not done in each
   * partition, then throws.
   */
  private void commitOldest(Consumer<byte[], byte[]> c) {
    InFlight oldest = inFlight.peek();
    Written written;
    try {
      written = oldest.result.get();
    } catch (ExecutionException e) { // it stays in flight: rewind() reads it again from its offsets
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a batch", e);
    }
    inFlight.poll();
    if (written.failure != null) {
      // In flight again before anything is committed, so that rewind() reads the rest again
      // even if the commit fails.
      inFlight.addFirst(new InFlight(oldest.result, written.readAgain));
    }
    total = total.plus(written.result);
    if (!written.commit.isEmpty()) {
      commit(c, written.commit);
      backoff = FIRST_BACKOFF;
      recordLag(c, written.commit.keySet());
    }
    if (written.failure != null) {
      throw written.failure;
    }
  }

  /**
   * On a stop: commits the batches being written once they are, and forgets what was read and
   * not yet handed to a writer, uncommitted, so the next start reads it again. Writing it too
   * held a stop for seconds during a backfill (half a batch of 20 000 prepared and inserted on a
   * busy machine: 3.5 to 4.9 s).
   */
  private void finishWrites(Consumer<byte[], byte[]> c) {
    pending.clear();
    pendingFrom.clear();
    pendingBytes = 0;
    while (!inFlight.isEmpty()) {
      commitOldest(c);
    }
  }

  /** Writes and commits everything read: before partitions move elsewhere. */
  private void drain(Consumer<byte[], byte[]> c, ExecutorService writerThreads) {
    while (!pending.isEmpty()) {
      submit(c, writerThreads);
    }
    while (!inFlight.isEmpty()) {
      commitOldest(c);
    }
  }

  private void commit(Consumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      if (stopping.get()) {
        c.commitSync(offsets, CLOSE_TIMEOUT);
      } else {
        c.commitSync(offsets);
      }
    } catch (WakeupException e) {
      // stop() woke the consumer mid-commit; the flag is cleared now
      c.commitSync(offsets, CLOSE_TIMEOUT);
    }
  }

  /** Moves each partition back to its first uncommitted offset and forgets what was read. */
  private void rewind(Consumer<byte[], byte[]> c) {
    Map<TopicPartition, Long> from = new HashMap<>(pendingFrom);
    for (InFlight batch : inFlight) {
      try {
        batch.result.get(); // let writes still under way finish before reading them again
      } catch (ExecutionException | InterruptedException ignored) {
        // a failed or abandoned write is exactly what is read again
      }
      batch.from.forEach((tp, offset) -> from.merge(tp, offset, Math::min));
    }
    inFlight.clear();
    from.forEach((tp, offset) -> {
      if (c.assignment().contains(tp)) {
        c.seek(tp, offset);
      }
    });
    pending.clear();
    pendingBytes = 0;
    pendingFrom.clear();
  }

  private void recordLag(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      OptionalLong lag = c.currentLag(tp);
      if (lag.isPresent()) {
        metrics.lag(tp.topic(), tp.partition(), lag.getAsLong());
      }
    }
  }

  /** Waits {@code d}, or less when stop() is called. */
  private void pause(Duration d) {
    try {
      stopRequested.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * A batch being written.
   *
   * @param from its first offset per partition, where a failure rewinds to
   */
  private record InFlight(Future<Written> result, Map<TopicPartition, Long> from) {}

  /**
   * What became of a batch's write.
   *
   * @param result what was stored and quarantined
   * @param commit the offsets to commit: all of the batch's, or those before its first message
   *     not done in each partition
   * @param readAgain of a batch written in part, the first message not done in each partition
   * @param failure why the batch is not all written, or null
   */
  private record Written(BatchResult result, Map<TopicPartition, OffsetAndMetadata> commit,
      Map<TopicPartition, Long> readAgain, RuntimeException failure) {}

  /**
   * Before partitions move to another instance, what was read from them is written and committed.
   */
  private final class DrainOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Consumer<byte[], byte[]> c = consumer;
      if (c == null || (inFlight.isEmpty() && pending.isEmpty())) {
        return;
      }
      ExecutorService direct = Executors.newSingleThreadExecutor();
      try {
        drain(c, direct); // batches already submitted finish on their own writer threads
      } catch (RuntimeException e) {
        // Not committed: whoever owns these partitions next reads the messages again.
        log.warn(
            "could not write before a rebalance; the messages will be read again: {}",
            e.toString());
        rewind(c);
      } finally {
        direct.shutdownNow();
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("assigned {}", partitions);
    }
  }
}
