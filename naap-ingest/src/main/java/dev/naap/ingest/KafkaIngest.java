package dev.naap.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes go-livepeer's topics into the store, at least once, with nothing lost.
 *
 * <h2>Delivery</h2>
 * Messages are gathered into a batch until it holds {@code batchMaxEvents} or its first message
 * has waited {@code batchMaxWait}. The batch is validated and written ({@link EventWriter}), and
 * only after the write returned are the batch's offsets committed. A crash between the two means
 * the batch is read again after restart; the tables collapse the repeated rows by key, so every
 * reader that uses FINAL sees each event once. A write that fails rewinds the consumer to the
 * batch's first offsets and retries with capped exponential backoff: the loop never skips data and
 * never stops on bad input (bad messages are quarantined, not thrown).
 *
 * <p>{@link #run()} blocks on the calling thread; {@link #stop()} may be called from any thread
 * and makes {@code run} write and commit what it holds, then return.
 */
public final class KafkaIngest implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(KafkaIngest.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final KafkaIngestConfig config;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile BatchResult total = BatchResult.EMPTY;
  private long pendingSinceNanos;

  public KafkaIngest(KafkaIngestConfig config, EventWriter writer, IngestMetrics metrics) {
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    try (Consumer<byte[], byte[]> c = new KafkaConsumer<>(config.consumerProperties(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      c.subscribe(config.topics(), new FlushOnRevoke());
      log.info("ingesting {} ", config);
      Duration backoff = Duration.ofMillis(100);
      while (!stopping.get()) {
        try {
          poll(c);
          if (batchIsDue()) {
            flush(c);
          }
          backoff = Duration.ofMillis(100);
        } catch (WakeupException e) {
          // stop() was called; the loop condition ends it
        } catch (RuntimeException e) {
          metrics.writeFailed();
          log.warn("batch of {} messages not written, reading it again in {}: {}",
              pending.size(), backoff, e.toString());
          rewind(c);
          sleep(backoff);
          backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        }
      }
      flush(c);
    } finally {
      stopped.countDown();
    }
  }

  /** Asks {@link #run()} to write what it holds, commit and return; waits until it has. */
  public void stop() {
    if (stopping.compareAndSet(false, true) && consumer != null) {
      consumer.wakeup();
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Totals since start. */
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
    }
  }

  private boolean batchIsDue() {
    return !pending.isEmpty() && (pending.size() >= config.batchMaxEvents()
        || System.nanoTime() - pendingSinceNanos >= config.batchMaxWait().toNanos());
  }

  /** Writes the pending batch, then commits its offsets: the order is the delivery guarantee. */
  private void flush(Consumer<byte[], byte[]> c) {
    if (pending.isEmpty()) {
      return;
    }
    List<Message> batch = new ArrayList<>(pending.size());
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : pending) {
      batch.add(new Message(r.value(), Origin.kafka(r.topic(), r.partition(), r.offset())));
      commit.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    BatchResult written = writer.write(batch);
    pending.clear(); // durable now: never written again from memory, only re-read if uncommitted
    total = total.plus(written);
    commit(c, commit);
    recordLag(c, commit.keySet());
  }

  private static void commit(Consumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      c.commitSync(offsets);
    } catch (WakeupException e) {
      c.commitSync(offsets); // stop() woke the consumer mid-commit; the flag is cleared now
    }
  }

  /** Moves each partition back to the first pending offset so a failed batch is read again. */
  private void rewind(Consumer<byte[], byte[]> c) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : pending) {
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    first.forEach((tp, offset) -> {
      if (c.assignment().contains(tp)) {
        c.seek(tp, offset);
      }
    });
    pending.clear();
  }

  private void recordLag(Consumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      OptionalLong lag = c.currentLag(tp);
      if (lag.isPresent()) {
        metrics.lag(tp.topic(), tp.partition(), lag.getAsLong());
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Before partitions move to another instance, what was read from them is written and committed. */
  private final class FlushOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Consumer<byte[], byte[]> c = consumer;
      if (c != null && !pending.isEmpty()) {
        try {
          flush(c);
        } catch (RuntimeException e) {
          // Not committed: whoever owns these partitions next reads the messages again.
          log.warn("could not write the batch before a rebalance; it will be read again: {}", e.toString());
          rewind(c);
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("assigned {}", partitions);
    }
  }
}
