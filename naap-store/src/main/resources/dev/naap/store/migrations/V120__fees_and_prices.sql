-- Money, exactly (docs/METRICS.md, "Fees" and "Prices"): payments and signed tickets with their
-- amounts as integers and decimals (never Float64), their expected value, the prices orchestrators
-- advertise, and the fee rollups the refresh keeps. payment_events and signed_ticket_events (V003)
-- stay for BI tools; they hold floats and are not read by the metrics.

-- One row per create_new_payment. faceValue is "<integer> WEI" below 0.01 ETH and "<decimal> ETH"
-- from there on (go-livepeer eth.FormatUnits); winProb is a decimal string (big.Rat.FloatString(10)).
-- A value of any other form, or beyond any real amount (10^40 wei, a probability above 1, more
-- than 18 decimals), is NULL rather than rounded: expected_value_wei is then NULL and the payment
-- is counted as unvalued. expected_value_wei = face value x win probability x tickets, exact to
-- 10^-18 wei.
CREATE TABLE IF NOT EXISTS payment_values
(
    event_id            String,
    event_time          DateTime64(3, 'UTC'),
    ingested_at         DateTime64(3, 'UTC'),
    gateway             LowCardinality(String),
    is_test_load        Bool,
    sender              LowCardinality(String),
    recipient           LowCardinality(String),
    node_url            LowCardinality(String),
    session_id          String,
    request_id          String,
    manifest_id         String,
    model_id            LowCardinality(String),
    num_tickets         UInt32,
    face_value_wei      Nullable(UInt256),
    win_prob            Nullable(Decimal(38, 18)),
    expected_value_wei  Nullable(Decimal(76, 18)),
    price_wei_per_pixel Nullable(Decimal(38, 18))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS payment_values_mv TO payment_values AS
WITH JSONExtractString(payload, 'data', 'faceValue') AS face_text,
     splitByChar(' ', face_text) AS face_parts,
     upper(face_parts[2]) AS face_unit,
     splitByChar('.', face_parts[1]) AS face_digits,
     multiIf(length(face_parts) != 2 OR NOT match(face_parts[1], '^[0-9]{1,40}(\\.[0-9]{1,18})?$'), NULL,
             face_unit = 'WEI' AND length(face_digits) = 1, toUInt256OrNull(face_parts[1]),
             face_unit = 'ETH', toUInt256OrNull(concat(face_digits[1], rightPad(face_digits[2], 18, '0'))),
             NULL) AS face,
     JSONExtractString(payload, 'data', 'winProb') AS prob_text,
     if(match(prob_text, '^[0-9]{1,20}(\\.[0-9]{1,18})?$'), toDecimal128OrNull(prob_text, 18), NULL) AS prob,
     JSONExtractString(payload, 'data', 'numTickets') AS tickets_text,
     if(match(tickets_text, '^[0-9]{1,9}$'), toUInt32(tickets_text), 0) AS tickets,
     splitByChar(' ', JSONExtractString(payload, 'data', 'price')) AS price_parts,
     JSONExtractString(payload, 'data', 'manifestID') AS manifest
SELECT event_id, event_time, ingested_at, gateway, is_test_load,
       lower(JSONExtractString(payload, 'data', 'sender')) AS sender,
       lower(JSONExtractString(payload, 'data', 'recipient')) AS recipient,
       replaceRegexpOne(lower(JSONExtractString(payload, 'data', 'orchestrator')), '/+$', '') AS node_url,
       JSONExtractString(payload, 'data', 'sessionID') AS session_id,
       JSONExtractString(payload, 'data', 'requestID') AS request_id,
       manifest AS manifest_id,
       if(match(manifest, '^[0-9]+_.'), substring(manifest, position(manifest, '_') + 1), '') AS model_id,
       tickets AS num_tickets,
       if(face <= toUInt256('10000000000000000000000000000000000000000'), face, NULL) AS face_value_wei,
       if(prob <= 1, prob, NULL) AS win_prob,
       toDecimal256(face_value_wei, 0) * win_prob * tickets AS expected_value_wei,
       if(length(price_parts) = 2 AND lower(price_parts[2]) = 'wei/pixel'
              AND match(price_parts[1], '^[0-9]{1,20}(\\.[0-9]{1,18})?$'),
          toDecimal128OrNull(price_parts[1], 18), NULL) AS price_wei_per_pixel
FROM raw_events
WHERE event_type = 'create_new_payment';

-- One row per create_signed_ticket (a remote signer's payment for a live session). computed_fee
-- is an integer in wei, sent as a string or a number; any other form is NULL.
CREATE TABLE IF NOT EXISTS signed_ticket_values
(
    event_id          String,
    event_time        DateTime64(3, 'UTC'),
    ingested_at       DateTime64(3, 'UTC'),
    gateway           LowCardinality(String),
    is_test_load      Bool,
    app               LowCardinality(String),
    pipeline          LowCardinality(String),
    session_id        String,
    orch_address      LowCardinality(String),
    node_url          LowCardinality(String),
    manifest_id       String,
    model_id          LowCardinality(String),
    num_tickets       UInt32,
    billable_seconds  Nullable(Float64),
    pixels            Nullable(UInt64),
    computed_fee_wei  Nullable(UInt256)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS signed_ticket_values_mv TO signed_ticket_values AS
WITH if(JSONType(payload, 'data', 'computed_fee') = 'String', JSONExtractString(payload, 'data', 'computed_fee'),
        JSONExtractRaw(payload, 'data', 'computed_fee')) AS fee_text,
     JSONExtractString(payload, 'data', 'manifest_id') AS manifest,
     JSONExtract(payload, 'data', 'num_tickets', 'Nullable(Int64)') AS tickets,
     JSONExtract(payload, 'data', 'billable_secs', 'Nullable(Float64)') AS seconds,
     JSONExtract(payload, 'data', 'pixels', 'Nullable(Int64)') AS px
SELECT event_id, event_time, ingested_at, gateway, is_test_load,
       JSONExtractString(payload, 'data', 'app') AS app,
       JSONExtractString(payload, 'data', 'pipeline') AS pipeline,
       JSONExtractString(payload, 'data', 'session_id') AS session_id,
       lower(JSONExtractString(payload, 'data', 'orch_address')) AS orch_address,
       replaceRegexpOne(lower(JSONExtractString(payload, 'data', 'orch_url')), '/+$', '') AS node_url,
       manifest AS manifest_id,
       if(match(manifest, '^[0-9]+_.'), substring(manifest, position(manifest, '_') + 1), '') AS model_id,
       if(tickets BETWEEN 0 AND 1000000000, toUInt32(tickets), 0) AS num_tickets,
       if(isFinite(seconds) AND seconds >= 0 AND seconds < 1e9, seconds, NULL) AS billable_seconds,
       if(px >= 0, toUInt64(px), NULL) AS pixels,
       if(match(fee_text, '^[0-9]{1,40}$'), toUInt256OrNull(fee_text), NULL) AS computed_fee_wei
FROM raw_events
WHERE event_type = 'create_signed_ticket';

-- The minutes that fee events ingested at a time touched, and each payment's session: what the
-- refresh recomputes (a late payment can change its whole session's pipeline and paid seconds).
CREATE TABLE IF NOT EXISTS fee_touches
(
    ingested_at   DateTime64(3, 'UTC'),
    bucket_minute DateTime('UTC'),
    sender        String,
    node_url      String,
    session_id    String
)
ENGINE = MergeTree
ORDER BY ingested_at
TTL toDateTime(ingested_at) + INTERVAL 7 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS fee_touches_mv TO fee_touches AS
SELECT ingested_at, toStartOfMinute(event_time) AS bucket_minute,
       if(event_type = 'create_new_payment', lower(JSONExtractString(payload, 'data', 'sender')), '') AS sender,
       if(event_type = 'create_new_payment',
          replaceRegexpOne(lower(JSONExtractString(payload, 'data', 'orchestrator')), '/+$', ''), '') AS node_url,
       if(event_type = 'create_new_payment', JSONExtractString(payload, 'data', 'sessionID'), '') AS session_id
FROM raw_events
WHERE event_type IN ('create_new_payment', 'create_signed_ticket');

-- Fees per minute x orchestrator x gateway x pipeline x app (docs/METRICS.md, "Fees"), each
-- minute recomputed whole under a new computed_at; readers keep the latest version of a minute.
CREATE TABLE IF NOT EXISTS fee_minute
(
    bucket_minute        DateTime('UTC'),
    orchestrator_address LowCardinality(String),
    gateway              LowCardinality(String),
    pipeline             LowCardinality(String),
    app                  LowCardinality(String),
    is_test_load         Bool,
    payments             UInt64,
    unvalued_payments    UInt64,
    tickets              UInt64,
    expected_fees_wei    Decimal(76, 18),
    paid_seconds         Float64,
    signed_tickets       UInt64,
    signed_ticket_count  UInt64,
    billable_seconds     Float64,
    pixels               UInt64,
    computed_fees_wei    UInt256,
    computed_at          DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_minute)
ORDER BY (bucket_minute, orchestrator_address, gateway, pipeline, app, is_test_load);

CREATE TABLE IF NOT EXISTS fee_hour
(
    bucket_hour          DateTime('UTC'),
    orchestrator_address LowCardinality(String),
    gateway              LowCardinality(String),
    pipeline             LowCardinality(String),
    app                  LowCardinality(String),
    is_test_load         Bool,
    payments             UInt64,
    unvalued_payments    UInt64,
    tickets              UInt64,
    expected_fees_wei    Decimal(76, 18),
    paid_seconds         Float64,
    signed_tickets       UInt64,
    signed_ticket_count  UInt64,
    billable_seconds     Float64,
    pixels               UInt64,
    computed_fees_wei    UInt256,
    computed_at          DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_hour)
ORDER BY (bucket_hour, orchestrator_address, gateway, pipeline, app, is_test_load);

-- One row per (capabilities snapshot, node, capability, model) price: integers as go-livepeer
-- sends them (int64 in net.PriceInfo), never floats. A price without pricePerUnit or with a
-- pixelsPerUnit <= 0 is NULL.
CREATE TABLE IF NOT EXISTS capability_prices
(
    event_id        String,
    event_time      DateTime64(3, 'UTC'),
    gateway         LowCardinality(String),
    local_address   LowCardinality(String),
    node_url        LowCardinality(String),
    capability      UInt32,
    model_id        LowCardinality(String),
    price_per_unit  Nullable(Int64),
    pixels_per_unit Nullable(Int64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, local_address, node_url, capability, model_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS capability_prices_mv TO capability_prices AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractArrayRaw(orch, 'capabilities_prices')) AS price,
     JSONExtract(price, 'pricePerUnit', 'Nullable(Int64)') AS ppu,
     JSONExtract(price, 'pixelsPerUnit', 'Nullable(Int64)') AS pixels
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       replaceRegexpOne(lower(JSONExtractString(orch, 'orch_uri')), '/+$', '') AS node_url,
       JSONExtract(price, 'capability', 'UInt32') AS capability,
       JSONExtractString(price, 'constraint') AS model_id,
       if(ppu >= 0, ppu, NULL) AS price_per_unit,
       if(pixels > 0, pixels, NULL) AS pixels_per_unit
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events WHERE event_type = 'network_capabilities');

-- The latest advertised price of each node and model, for any reader that needs "the price now"
-- (the prices report computes the price in force per bucket itself).
CREATE VIEW IF NOT EXISTS capability_prices_latest AS
SELECT local_address, node_url, model_id, unit_price AS price_per_unit, unit_pixels AS pixels_per_unit,
       toDecimal128(unit_price, 18) / unit_pixels AS wei_per_pixel, seen_at
FROM
(
    SELECT local_address, node_url, model_id,
           argMax(assumeNotNull(price_per_unit), event_time) AS unit_price,
           argMax(assumeNotNull(pixels_per_unit), event_time) AS unit_pixels,
           max(event_time) AS seen_at
    FROM capability_prices
    WHERE price_per_unit IS NOT NULL AND pixels_per_unit IS NOT NULL
    GROUP BY local_address, node_url, model_id
);

-- One row per (capabilities snapshot, node, capability, model): the slots each node advertises
-- (docs/METRICS.md, "Capacity"). network_capability_models (V003) is keyed without the node, so
-- two nodes of one signer serving one model collapse there into one.
CREATE TABLE IF NOT EXISTS capability_model_slots
(
    event_id        String,
    event_time      DateTime64(3, 'UTC'),
    gateway         LowCardinality(String),
    local_address   LowCardinality(String),
    node_url        LowCardinality(String),
    capability      UInt32,
    model_id        LowCardinality(String),
    warm            Bool,
    capacity_idle   UInt32,
    capacity_in_use UInt32
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, local_address, node_url, capability, model_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS capability_model_slots_mv TO capability_model_slots AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractKeysAndValuesRaw(orch, 'capabilities', 'constraints', 'PerCapability')) AS cap,
     arrayJoin(JSONExtractKeysAndValuesRaw(cap.2, 'models')) AS model
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       replaceRegexpOne(lower(JSONExtractString(orch, 'orch_uri')), '/+$', '') AS node_url,
       toUInt32OrZero(cap.1) AS capability,
       model.1 AS model_id,
       JSONExtractBool(model.2, 'warm') AS warm,
       JSONExtract(model.2, 'capacity', 'UInt32') AS capacity_idle,
       JSONExtract(model.2, 'capacityInUse', 'UInt32') AS capacity_in_use
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events WHERE event_type = 'network_capabilities');

-- The live view reads the last seconds of these tables (docs/METRICS.md, "Live"): a min-max index
-- on the event time skips the rest of the month's partition.
ALTER TABLE stream_trace_events ADD INDEX IF NOT EXISTS event_time_minmax event_time TYPE minmax GRANULARITY 1;
ALTER TABLE ai_stream_status_events ADD INDEX IF NOT EXISTS event_time_minmax event_time TYPE minmax GRANULARITY 1;
ALTER TABLE stream_ingest_metrics_events ADD INDEX IF NOT EXISTS event_time_minmax event_time TYPE minmax GRANULARITY 1;
ALTER TABLE ai_stream_events ADD INDEX IF NOT EXISTS event_time_minmax event_time TYPE minmax GRANULARITY 1;

-- The output a live stream is billed at, per pipeline ('' = every other): go-livepeer pays live
-- video as if every stream were 1280x720 at 30 frames/s (the real capture: 2.4e12 wei expected
-- every ~53 s at 1635 wei/pixel = 27.6 Mpixel/s). Prices per stream-minute use it.
CREATE TABLE IF NOT EXISTS billing_resolutions
(
    pipeline   String,
    width      UInt32,
    height     UInt32,
    fps        UInt32,
    updated_at DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY pipeline;

INSERT INTO billing_resolutions VALUES ('', 1280, 720, 30, now64(6));

-- What the store already holds: its payment and capability events go through the new views once
-- more. The copies collapse with the originals in raw_events and in every older family table (all
-- keyed by the event id), and fee_touches makes the next refresh roll their minutes up.
INSERT INTO raw_events
SELECT * FROM raw_events FINAL
WHERE event_type IN ('create_new_payment', 'create_signed_ticket', 'network_capabilities');
