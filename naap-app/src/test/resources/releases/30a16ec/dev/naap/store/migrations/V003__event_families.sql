-- Typed tables per event family, filled from raw_events by materialized views (docs/EVENTS.md has
-- every field, unit and clock). A materialized view sees each insert block, before duplicates
-- collapse, so these tables are ReplacingMergeTree keyed by the event id too: read them with FINAL.

CREATE TABLE IF NOT EXISTS stream_trace_events
(
    event_id             String,
    event_time           DateTime64(3, 'UTC'),
    envelope_time        DateTime64(3, 'UTC'),
    gateway              LowCardinality(String),
    subtype              LowCardinality(String),
    stream_id            String,
    request_id           String,
    pipeline_id          String,
    pipeline             LowCardinality(String),
    orchestrator_address LowCardinality(String),
    orchestrator_url     LowCardinality(String),
    message              String,
    is_test_load         Bool
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(envelope_time)
ORDER BY (stream_id, request_id, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS stream_trace_events_mv TO stream_trace_events AS
SELECT event_id, event_time, envelope_time, gateway, event_subtype AS subtype, stream_id, request_id,
       JSONExtractString(payload, 'data', 'pipeline_id') AS pipeline_id, pipeline,
       orchestrator_address, orchestrator_url,
       JSONExtractString(payload, 'data', 'message') AS message, is_test_load
FROM raw_events
WHERE event_type = 'stream_trace';

CREATE TABLE IF NOT EXISTS ai_stream_status_events
(
    event_id                   String,
    event_time                 DateTime64(3, 'UTC'),
    envelope_time              DateTime64(3, 'UTC'),
    gateway                    LowCardinality(String),
    stream_id                  String,
    request_id                 String,
    pipeline                   LowCardinality(String),
    orchestrator_address       LowCardinality(String),
    orchestrator_url           LowCardinality(String),
    gpu_id                     String,
    region                     LowCardinality(String),
    state                      LowCardinality(String),
    output_fps                 Nullable(Float64),
    input_fps                  Nullable(Float64),
    start_time_ms              Nullable(Int64),
    last_output_time_ms        Nullable(Int64),
    last_input_time_ms         Nullable(Int64),
    last_params_update_time_ms Nullable(Int64),
    last_params_hash           String,
    last_error                 String,
    last_error_time_ms         Nullable(Int64),
    restart_count              Nullable(Int64),
    is_test_load               Bool
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(envelope_time)
ORDER BY (stream_id, request_id, event_id);

-- One JSONExtract into a named tuple parses the payload once, however many fields are read.
CREATE MATERIALIZED VIEW IF NOT EXISTS ai_stream_status_events_mv TO ai_stream_status_events AS
WITH JSONExtract(payload, 'data', 'Tuple(state String, gpu_id String, start_time Nullable(Int64),
         orchestrator_info Tuple(gpu_id String, region String),
         input_status Tuple(fps Nullable(Float64), last_input_time Nullable(Int64)),
         inference_status Tuple(fps Nullable(Float64), last_output_time Nullable(Int64),
             last_params_update_time Nullable(Int64), last_params_hash String, last_error String,
             last_error_time Nullable(Int64), restart_count Nullable(Int64)))') AS d
SELECT event_id, event_time, envelope_time, gateway, stream_id, request_id, pipeline,
       orchestrator_address, orchestrator_url,
       if(d.gpu_id != '', d.gpu_id, d.orchestrator_info.gpu_id) AS gpu_id,
       d.orchestrator_info.region AS region,
       d.state AS state,
       d.inference_status.fps AS output_fps,
       d.input_status.fps AS input_fps,
       d.start_time AS start_time_ms,
       d.inference_status.last_output_time AS last_output_time_ms,
       d.input_status.last_input_time AS last_input_time_ms,
       d.inference_status.last_params_update_time AS last_params_update_time_ms,
       d.inference_status.last_params_hash AS last_params_hash,
       d.inference_status.last_error AS last_error,
       d.inference_status.last_error_time AS last_error_time_ms,
       d.inference_status.restart_count AS restart_count,
       is_test_load
FROM raw_events
WHERE event_type = 'ai_stream_status';

CREATE TABLE IF NOT EXISTS ai_stream_events
(
    event_id             String,
    event_time           DateTime64(3, 'UTC'),
    envelope_time        DateTime64(3, 'UTC'),
    gateway              LowCardinality(String),
    subtype              LowCardinality(String),
    stream_id            String,
    request_id           String,
    pipeline             LowCardinality(String),
    orchestrator_address LowCardinality(String),
    orchestrator_url     LowCardinality(String),
    capability           LowCardinality(String),
    message              String,
    params               String,
    restart_count        Nullable(Int64),
    runner_time_seconds  Nullable(Float64),
    is_test_load         Bool
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(envelope_time)
ORDER BY (stream_id, request_id, event_id);

-- runner_time_seconds: runner clock, float seconds; `time` on runner errors, `restart_time` on restarts.
CREATE MATERIALIZED VIEW IF NOT EXISTS ai_stream_events_mv TO ai_stream_events AS
SELECT event_id, event_time, envelope_time, gateway, event_subtype AS subtype, stream_id, request_id,
       pipeline, orchestrator_address, orchestrator_url,
       JSONExtractString(payload, 'data', 'capability') AS capability,
       JSONExtractString(payload, 'data', 'message') AS message,
       JSONExtractRaw(payload, 'data', 'params') AS params,
       JSONExtract(payload, 'data', 'restart_count', 'Nullable(Int64)') AS restart_count,
       coalesce(JSONExtract(payload, 'data', 'time', 'Nullable(Float64)'),
                JSONExtract(payload, 'data', 'restart_time', 'Nullable(Float64)')) AS runner_time_seconds,
       is_test_load
FROM raw_events
WHERE event_type = 'ai_stream_events';

CREATE TABLE IF NOT EXISTS stream_ingest_metrics_events
(
    event_id               String,
    event_time             DateTime64(3, 'UTC'),
    envelope_time          DateTime64(3, 'UTC'),
    gateway                LowCardinality(String),
    stream_id              String,
    request_id             String,
    bytes_received         Nullable(Int64),
    bytes_sent             Nullable(Int64),
    conn_quality           LowCardinality(String),
    video_jitter_ms        Nullable(Float64),
    video_packets_lost     Nullable(Int64),
    video_packets_received Nullable(Int64),
    video_packet_loss_pct  Nullable(Float64),
    video_rtt_ns           Nullable(Int64),
    audio_jitter_ms        Nullable(Float64),
    audio_packets_lost     Nullable(Int64),
    audio_packets_received Nullable(Int64),
    is_test_load           Bool
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(envelope_time)
ORDER BY (stream_id, request_id, event_id);

-- Byte counters are cumulative for the client<->gateway WebRTC transport; "received" is the upload.
CREATE MATERIALIZED VIEW IF NOT EXISTS stream_ingest_metrics_events_mv TO stream_ingest_metrics_events AS
WITH JSONExtract(payload, 'data', 'stats', 'Tuple(conn_quality String,
         peer_conn_stats Tuple(BytesReceived Nullable(Int64), BytesSent Nullable(Int64)),
         track_stats Array(Tuple(type String, jitter Nullable(Float64), packets_lost Nullable(Int64),
             packets_received Nullable(Int64), packet_loss_pct Nullable(Float64), rtt Nullable(Int64))))') AS stats,
     arrayFirstIndex(t -> t.type = 'video', stats.track_stats) AS v,
     arrayFirstIndex(t -> t.type = 'audio', stats.track_stats) AS a
SELECT event_id, event_time, envelope_time, gateway, stream_id, request_id,
       stats.peer_conn_stats.BytesReceived AS bytes_received,
       stats.peer_conn_stats.BytesSent AS bytes_sent,
       stats.conn_quality AS conn_quality,
       if(v = 0, NULL, stats.track_stats[v].jitter) AS video_jitter_ms,
       if(v = 0, NULL, stats.track_stats[v].packets_lost) AS video_packets_lost,
       if(v = 0, NULL, stats.track_stats[v].packets_received) AS video_packets_received,
       if(v = 0, NULL, stats.track_stats[v].packet_loss_pct) AS video_packet_loss_pct,
       if(v = 0, NULL, stats.track_stats[v].rtt) AS video_rtt_ns,
       if(a = 0, NULL, stats.track_stats[a].jitter) AS audio_jitter_ms,
       if(a = 0, NULL, stats.track_stats[a].packets_lost) AS audio_packets_lost,
       if(a = 0, NULL, stats.track_stats[a].packets_received) AS audio_packets_received,
       is_test_load
FROM raw_events
WHERE event_type = 'stream_ingest_metrics';

-- One row per orchestrator in a discovery answer; position 1 is the lowest latency.
CREATE TABLE IF NOT EXISTS discovery_result_entries
(
    event_id             String,
    event_time           DateTime64(3, 'UTC'),
    gateway              LowCardinality(String),
    position             UInt16,
    orchestrator_address LowCardinality(String),
    orchestrator_url     LowCardinality(String),
    latency_ms           Nullable(Float64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, position);

-- The family filter runs in a subquery: ARRAY JOIN would otherwise parse every row of the block.
CREATE MATERIALIZED VIEW IF NOT EXISTS discovery_result_entries_mv TO discovery_result_entries AS
SELECT event_id, event_time, gateway,
       toUInt16(entry.1) AS position,
       lower(JSONExtractString(entry.2, 'address')) AS orchestrator_address,
       JSONExtractString(entry.2, 'url') AS orchestrator_url,
       toFloat64OrNull(JSONExtractString(entry.2, 'latency_ms')) AS latency_ms
FROM (SELECT event_id, event_time, gateway, JSONExtractArrayRaw(payload, 'data') AS entries
      FROM raw_events WHERE event_type = 'discovery_results')
ARRAY JOIN arrayZip(arrayEnumerate(entries), entries) AS entry;

-- network_capabilities, flattened twice: one row per (snapshot, orchestrator, model) with capacity
-- and price, and one row per (snapshot, orchestrator, model, GPU) with the hardware.
CREATE TABLE IF NOT EXISTS network_capability_models
(
    event_id          String,
    event_time        DateTime64(3, 'UTC'),
    gateway           LowCardinality(String),
    address           LowCardinality(String),
    local_address     LowCardinality(String),
    orch_uri          LowCardinality(String),
    version           LowCardinality(String),
    capability        UInt32,
    model_id          LowCardinality(String),
    warm              Bool,
    capacity_idle     UInt32,
    capacity_in_use   UInt32,
    runner_version    LowCardinality(String),
    price_per_unit    Nullable(Float64),
    pixels_per_unit   Nullable(Float64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, local_address, capability, model_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS network_capability_models_mv TO network_capability_models AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractKeysAndValuesRaw(orch, 'capabilities', 'constraints', 'PerCapability')) AS cap,
     arrayJoin(JSONExtractKeysAndValuesRaw(cap.2, 'models')) AS model,
     arrayFirst(p -> JSONExtract(p, 'capability', 'UInt32') = toUInt32OrZero(cap.1)
                     AND JSONExtractString(p, 'constraint') = model.1,
                JSONExtractArrayRaw(orch, 'capabilities_prices')) AS price
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'address')) AS address,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       JSONExtractString(orch, 'capabilities', 'version') AS version,
       toUInt32OrZero(cap.1) AS capability,
       model.1 AS model_id,
       JSONExtractBool(model.2, 'warm') AS warm,
       JSONExtract(model.2, 'capacity', 'UInt32') AS capacity_idle,
       JSONExtract(model.2, 'capacityInUse', 'UInt32') AS capacity_in_use,
       JSONExtractString(model.2, 'runnerVersion') AS runner_version,
       if(price = '', NULL, JSONExtract(price, 'pricePerUnit', 'Float64')) AS price_per_unit,
       if(price = '', NULL, JSONExtract(price, 'pixelsPerUnit', 'Float64')) AS pixels_per_unit
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events WHERE event_type = 'network_capabilities');

CREATE TABLE IF NOT EXISTS network_capability_gpus
(
    event_id          String,
    event_time        DateTime64(3, 'UTC'),
    gateway           LowCardinality(String),
    address           LowCardinality(String),
    local_address     LowCardinality(String),
    orch_uri          LowCardinality(String),
    pipeline          LowCardinality(String),
    model_id          LowCardinality(String),
    gpu_index         LowCardinality(String),
    gpu_id            String,
    gpu_name          LowCardinality(String),
    gpu_major         Nullable(UInt32),
    gpu_minor         Nullable(UInt32),
    memory_total_bytes Nullable(Int64),
    memory_free_bytes  Nullable(Int64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, local_address, model_id, gpu_index);

CREATE MATERIALIZED VIEW IF NOT EXISTS network_capability_gpus_mv TO network_capability_gpus AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractArrayRaw(orch, 'hardware')) AS hw,
     arrayJoin(JSONExtractKeysAndValuesRaw(hw, 'gpu_info')) AS gpu
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'address')) AS address,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       JSONExtractString(hw, 'pipeline') AS pipeline,
       JSONExtractString(hw, 'model_id') AS model_id,
       gpu.1 AS gpu_index,
       JSONExtractString(gpu.2, 'id') AS gpu_id,
       JSONExtractString(gpu.2, 'name') AS gpu_name,
       JSONExtract(gpu.2, 'major', 'Nullable(UInt32)') AS gpu_major,
       JSONExtract(gpu.2, 'minor', 'Nullable(UInt32)') AS gpu_minor,
       JSONExtract(gpu.2, 'memory_total', 'Nullable(Int64)') AS memory_total_bytes,
       JSONExtract(gpu.2, 'memory_free', 'Nullable(Int64)') AS memory_free_bytes
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events WHERE event_type = 'network_capabilities');

-- Payments: every value is a string upstream; unit suffixes (" WEI", " wei/pixel") are cut off.
CREATE TABLE IF NOT EXISTS payment_events
(
    event_id             String,
    event_time           DateTime64(3, 'UTC'),
    gateway              LowCardinality(String),
    request_id           String,
    session_id           String,
    manifest_id          String,
    recipient            LowCardinality(String),
    sender               LowCardinality(String),
    orchestrator_url     LowCardinality(String),
    capability           LowCardinality(String),
    face_value_wei       Nullable(UInt256),
    win_prob             Nullable(Float64),
    price_wei_per_pixel  Nullable(Float64),
    num_tickets          Nullable(UInt32)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS payment_events_mv TO payment_events AS
SELECT event_id, event_time, gateway,
       JSONExtractString(payload, 'data', 'requestID') AS request_id,
       JSONExtractString(payload, 'data', 'sessionID') AS session_id,
       JSONExtractString(payload, 'data', 'manifestID') AS manifest_id,
       lower(JSONExtractString(payload, 'data', 'recipient')) AS recipient,
       lower(JSONExtractString(payload, 'data', 'sender')) AS sender,
       JSONExtractString(payload, 'data', 'orchestrator') AS orchestrator_url,
       JSONExtractString(payload, 'data', 'capability') AS capability,
       toUInt256OrNull(splitByChar(' ', JSONExtractString(payload, 'data', 'faceValue'))[1]) AS face_value_wei,
       toFloat64OrNull(JSONExtractString(payload, 'data', 'winProb')) AS win_prob,
       toFloat64OrNull(splitByChar(' ', JSONExtractString(payload, 'data', 'price'))[1]) AS price_wei_per_pixel,
       toUInt32OrNull(JSONExtractString(payload, 'data', 'numTickets')) AS num_tickets
FROM raw_events
WHERE event_type = 'create_new_payment';

CREATE TABLE IF NOT EXISTS signed_ticket_events
(
    event_id         String,
    event_time       DateTime64(3, 'UTC'),
    gateway          LowCardinality(String),
    session_id       String,
    session_status   LowCardinality(String),
    app              LowCardinality(String),
    pipeline         LowCardinality(String),
    request_id       String,
    orch_address     LowCardinality(String),
    orch_url         LowCardinality(String),
    manifest_id      String,
    billable_seconds Nullable(Float64),
    pixels           Nullable(Float64),
    computed_fee     String,
    cost             String,
    num_tickets      Nullable(Int64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS signed_ticket_events_mv TO signed_ticket_events AS
SELECT event_id, event_time, gateway,
       JSONExtractString(payload, 'data', 'session_id') AS session_id,
       JSONExtractString(payload, 'data', 'session_status') AS session_status,
       JSONExtractString(payload, 'data', 'app') AS app,
       JSONExtractString(payload, 'data', 'pipeline') AS pipeline,
       JSONExtractString(payload, 'data', 'request_id') AS request_id,
       lower(JSONExtractString(payload, 'data', 'orch_address')) AS orch_address,
       JSONExtractString(payload, 'data', 'orch_url') AS orch_url,
       JSONExtractString(payload, 'data', 'manifest_id') AS manifest_id,
       JSONExtract(payload, 'data', 'billable_secs', 'Nullable(Float64)') AS billable_seconds,
       JSONExtract(payload, 'data', 'pixels', 'Nullable(Float64)') AS pixels,
       JSONExtractRaw(payload, 'data', 'computed_fee') AS computed_fee,
       JSONExtractRaw(payload, 'data', 'cost') AS cost,
       JSONExtract(payload, 'data', 'num_tickets', 'Nullable(Int64)') AS num_tickets
FROM raw_events
WHERE event_type = 'create_signed_ticket';
