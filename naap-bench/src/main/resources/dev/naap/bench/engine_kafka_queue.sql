-- The peer ingest path: ClickHouse's own Kafka table engine reading the benchmark's topic as whole
-- messages. ${broker}, ${topic}, ${group}, ${consumers} and ${block} are filled in by
-- IngestBenchmark.
CREATE TABLE bench_engine_queue (raw String)
ENGINE = Kafka
SETTINGS kafka_broker_list = '${broker}',
         kafka_topic_list = '${topic}',
         kafka_group_name = '${group}',
         kafka_format = 'RawBLOB',
         kafka_num_consumers = ${consumers},
         kafka_thread_per_consumer = 1,
         kafka_max_block_size = ${block},
         kafka_flush_interval_ms = 1000
